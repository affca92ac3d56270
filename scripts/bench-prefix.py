#!/usr/bin/env python3
"""What FTS5's prefix indexes cost and give, on text with a vocabulary like a real one.

    scripts/bench-prefix.py [--docs 100000] [--words 150000] [--length 300] [--dir DIR]

The generated benchmark feeds use a few hundred words, so every prefix there begins few of
them. This writes DOCS documents of LENGTH words drawn from WORDS made-up words with Zipf's law
(a few very common, most rare, as in English), then builds the post search table as Agora does
(contentless, unicode61 remove_diacritics 2, 8 KiB pages, 16 MiB term buffer, automerge 8,
steps of 5,000 a transaction) with prefix indexes of 2 and 3 letters, of 2 only, and none; it
prints each build's CPU time and size, and how long 2- and 3-letter prefixes take with each:
reading every match, and the newest 20 that also hold the most common word (what the search as
typed asks for: with a prefix index FTS5 reads that lazily, newest first; without one it
gathers every match of every word the prefix begins first). Standard library only:
the sqlite3 module uses the system's SQLite, as Agora does.
"""
import argparse
import bisect
import itertools
import os
import random
import sqlite3
import tempfile
import time

LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
FREQUENCY = [12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0,
             1.9, 1.5, 1.0, 0.8, 0.15, 0.15, 0.1, 0.07]


def documents(count, words, length):
    rng = random.Random(7)
    vocabulary = set()
    while len(vocabulary) < words:
        size = max(2, min(14, int(rng.gauss(7, 2.5))))
        vocabulary.add("".join(rng.choices(LETTERS, FREQUENCY, k=size)))
    vocabulary = sorted(vocabulary)
    rng.shuffle(vocabulary)
    weights = list(itertools.accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(words)))
    total = weights[-1]

    def text(n):
        return " ".join(vocabulary[bisect.bisect(weights, rng.random() * total)] for _ in range(n))
    return [(k + 1, text(8), text(length)) for k in range(count)]


def build(path, prefix, docs):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA page_size = 8192")
    db.execute("PRAGMA journal_mode = WAL")
    option = f", prefix = '{prefix}'" if prefix else ""
    db.execute(f"CREATE VIRTUAL TABLE s USING fts5(title, body, content = '', "
               f"tokenize = 'unicode61 remove_diacritics 2'{option})")
    for key, value in (("pgsz", 8000), ("hashsize", 16777216), ("automerge", 8)):
        db.execute("INSERT INTO s (s, rank) VALUES (?, ?)", (key, value))
    start = time.process_time()
    for first in range(0, len(docs), 5000):
        db.execute("BEGIN")
        db.executemany("INSERT INTO s (rowid, title, body) VALUES (?, ?, ?)", docs[first:first + 5000])
        db.execute("COMMIT")
    cpu = time.process_time() - start
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db, cpu


def spread(times):
    times = sorted(times)
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    return f"median {pick(0.5):5.1f}  p90 {pick(0.9):5.1f}  p99 {pick(0.99):5.1f}  worst {times[-1]:5.1f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100000)
    parser.add_argument("--words", type=int, default=150000)
    parser.add_argument("--length", type=int, default=300)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    docs = documents(args.docs, args.words, args.length)
    print(f"SQLite {sqlite3.sqlite_version}; {args.docs:,} documents of {args.length} words from "
          f"{args.words:,} words (Zipf)")
    rng = random.Random(3)
    sample = [word for _, _, body in rng.sample(docs, 200) for word in body.split()[:40]]
    common = max(((w, n) for w, n in __import__("collections").Counter(sample).items()), key=lambda p: p[1])[0]
    prefixes = {2: sorted({w[:2] for w in sample if len(w) >= 2}), 3: sorted({w[:3] for w in sample if len(w) >= 3})}
    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        for prefix in ("2 3", "2", ""):
            path = os.path.join(work, f"p{prefix.replace(' ', '')}.sqlite")
            db, cpu = build(path, prefix, docs)
            size = os.path.getsize(path) / 1048576
            print(f"prefix indexes '{prefix}': built in {cpu:.2f} s of CPU, {size:.0f} MiB")
            for letters, typed in prefixes.items():
                every, newest = [], []
                for word in typed:
                    start = time.perf_counter()
                    db.execute("SELECT rowid FROM s WHERE s MATCH ?", (f'"{word}"*',)).fetchall()
                    every.append((time.perf_counter() - start) * 1000)
                    # A screenful, newest first, with another word: what the search as typed asks.
                    start = time.perf_counter()
                    db.execute("SELECT rowid FROM s WHERE s MATCH ? ORDER BY rowid DESC LIMIT 20",
                               (f'"{common}" AND "{word}"*',)).fetchall()
                    newest.append((time.perf_counter() - start) * 1000)
                print(f"    {len(typed):5} prefixes of {letters} letters, every match:  {spread(every)}")
                print(f"    {'':5}   the newest 20 with '{common}': {spread(newest)}")
            db.close()


if __name__ == "__main__":
    main()
