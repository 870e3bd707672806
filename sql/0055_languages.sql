-- Languages as data (issue 26): the words a participant or a trainer reads (the participant pages, the Likert
-- anchors, the slips, the sign-in sheets, the certificates, and the e-mails once registered) per language,
-- editable by a coordinator through /api/languages without a developer.
--
-- The key catalogue and the built-in texts live in the code (Languages/TextCatalogue.cs): a feature registers
-- its keys and default texts there, one list. This table holds what coordinators and translators wrote; the text
-- of a key in a language is the stored one, else the built-in one for that language. A language is complete
-- when every key of the catalogue has a text; a course in an incomplete language is refused, naming the keys.
CREATE TABLE languages (
    code        TEXT    NOT NULL PRIMARY KEY CHECK (length(code) BETWEEN 2 AND 3 AND code = lower(code)),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);

CREATE TABLE language_texts (
    language    TEXT    NOT NULL REFERENCES languages (code),
    key         TEXT    NOT NULL,
    text        TEXT    NOT NULL CHECK (length(trim(text)) > 0),
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (language, key)
) WITHOUT ROWID;

-- The seven languages the participant pages speak (Polish among them, for the Poland programme).
INSERT INTO languages (code) VALUES ('en'), ('de'), ('nl'), ('sq'), ('ro'), ('sv'), ('pl');
