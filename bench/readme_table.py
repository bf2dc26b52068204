#!/usr/bin/env python3
"""Rewrites the README's performance table from the benchmarks' results.

Every benchmark writes $RESULTS_DIR/<name>.tsv: one line per README row, tab-separated, no header:
    what, Rapport figure, reference figure (named), ratio, target, met|missed
bench/run.sh writes $RESULTS_DIR/machine.txt ("date: …", "cores: …", "cpu: …").

This script replaces what lies between <!-- bench-table:begin --> and <!-- bench-table:end --> in
README.md with a table of every row, benchmarks in a fixed order (those expected but without a
.tsv get a "not run" row), stamped with the machine of the run.

Usage: bench/readme_table.py [--results DIR] [--readme README.md] [--check]
  --check  changes nothing; exits 1 when the README's table differs from the results.
"""
import argparse
import os
import pathlib
import sys

BEGIN = "<!-- bench-table:begin -->"
END = "<!-- bench-table:end -->"
# Benchmarks in table order; True: expected in every `make bench` (a "not run" row when missing).
ORDER = [
    ("http_get_brand", True),
    ("jobs", True),  # job engine on SQLite
    ("pg_jobs", True),
    ("scheduler", True),
    ("sla_uptime", True),
    ("pdf_render", True),
    ("brand_run", False),
]
COLUMNS = ["benchmark", "what", "Rapport", "reference", "ratio", "target", "met"]
FIELDS = len(COLUMNS) - 1


def cell(text):
    return text.strip().replace("|", "\\|") or "—"


def read_rows(path):
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != FIELDS:
            raise SystemExit(f"{path}:{number}: {len(fields)} fields, expected {FIELDS} "
                             "(what, Rapport, reference, ratio, target, met)")
        rows.append(fields)
    return rows


def benchmark_names(results):
    present = sorted(p.stem for p in results.glob("*.tsv"))
    names = [name for name, expected in ORDER if expected or name in present]
    return names + [name for name in present if name not in names]


def machine_stamp(results):
    path = results / "machine.txt"
    if not path.exists():
        return "Machine of the run not recorded (no machine.txt)."
    info = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return (f"Run of {info.get('date', '?')} on {info.get('cores', '?')} cores "
            f"({info.get('cpu', 'CPU unknown')}); medians, every ratio within that run.")


def table(results):
    lines = [machine_stamp(results), "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for name in benchmark_names(results):
        path = results / f"{name}.tsv"
        rows = read_rows(path) if path.exists() else [["not run"] + [""] * (FIELDS - 1)]
        for fields in rows:
            lines.append("| " + " | ".join([f"`{name}`"] + [cell(f) for f in fields]) + " |")
    return "\n".join(lines)


def rewrite(readme_text, new_table):
    start = readme_text.find(BEGIN)
    end = readme_text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"README has no {BEGIN} … {END} markers")
    return readme_text[:start + len(BEGIN)] + "\n" + new_table + "\n" + readme_text[end:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=os.environ.get("RESULTS_DIR") or "bench/results")
    parser.add_argument("--readme", default="README.md")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the README's table is out of date; change nothing")
    args = parser.parse_args()
    readme = pathlib.Path(args.readme)
    old = readme.read_text(encoding="utf-8")
    new = rewrite(old, table(pathlib.Path(args.results)))
    if args.check:
        if new != old:
            print(f"{readme}: performance table out of date with {args.results} "
                  "(run bench/readme_table.py)", file=sys.stderr)
            return 1
        return 0
    if new != old:
        readme.write_text(new, encoding="utf-8")
    print(f"{readme}: performance table from {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
