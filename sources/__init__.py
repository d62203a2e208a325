"""Reference facts: the database the checker compares claims against.

Kept free of Discord and of the claim pipeline so the same code serves the
command line, the bot and the benchmarks. Entry points:

- `sources.db.open_db(path)`: open (and create or upgrade) a database.
- `sources.importer.import_file(db, path)`: load CSV, JSON Lines or ClaimReview.
- `sources.search.search(db, query)`: fuzzy search for people.
- `sources.lookup.FactIndex(db)`: the fast interface the claim matcher uses.
- `sources.store`: show, remove and upsert single facts with history.
"""
