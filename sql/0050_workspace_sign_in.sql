-- The workspace's sign-in (issue 24): people sign in with a user name and a password; API clients keep their
-- bearer tokens (api_tokens). A password is set, the first time and after a reset, through a one-time link that
-- an admin creates (POST /api/users/{id}/sign-in-link).
--
--   users.email               where the link may also be mailed (optional).
--   users.password_hash       ASP.NET Core Identity's PasswordHasher (PBKDF2, salted); NULL until the user sets one.
--   users.failed_sign_ins     wrong passwords since the last good one; at 5 the user is locked out for 15 minutes.
--   users.locked_until        ISO 8601 UTC; a sign-in before it is refused without looking at the password.
--   users.session_stamp       changed whenever a password is set or the user deleted: every page session (cookie)
--                             carries the stamp it was made with, and one that no longer matches is signed out.
ALTER TABLE users ADD COLUMN email TEXT NULL;
ALTER TABLE users ADD COLUMN password_hash TEXT NULL;
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT NULL;
ALTER TABLE users ADD COLUMN session_stamp TEXT NOT NULL DEFAULT '';

-- One-time links: only the SHA-256 of the link's token is kept (as for api_tokens). A new link replaces the user's
-- earlier unused ones; using a link marks it used in the same transaction that stores the password.
CREATE TABLE sign_in_links (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    expires_at  TEXT    NOT NULL,
    used_at     TEXT    NULL
);
CREATE INDEX ix_sign_in_links_user ON sign_in_links (user_id);
