-- A programme's title in the languages of its courses (issue 25): a Polish certificate names the programme in Polish.
-- A JSON object { "pl": "..." } by ISO 639-1 code; a language without a title falls back to projects.title.
ALTER TABLE projects ADD COLUMN local_titles TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(local_titles) AND json_type(local_titles) = 'object');
