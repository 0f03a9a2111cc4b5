DROP TABLE users.profiles;
