//! Use cases of the `users` module and the ports (repository traits) they need.
