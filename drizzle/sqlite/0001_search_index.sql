-- Full-text index of entries: contentless FTS5 keyed by entries.id, filled by the store with each entry's
-- title and summary already normalised the way clustering normalises names (Zelenskyy -> zelenski, Kiev -> kyiv).
CREATE VIRTUAL TABLE `entries_fts` USING fts5(`terms`, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
