DROP TABLE auth.personal_access_tokens;
DROP TABLE auth.sessions;
DROP TABLE auth.credentials;
