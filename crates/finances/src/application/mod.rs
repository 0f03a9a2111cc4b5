//! Use cases of the `finances` module and the ports (repository traits) they need.
