#!/usr/bin/python3
"""Reads report exports back with parsers that are not Rapport's, for tests/integration/exports_test.

  export_read.py csv FILE        Python's csv module: {"header": [...], "rows": [[...], ...]}
  export_read.py xlsx FILE       openpyxl (Debian python3-openpyxl): {"sheets": [{"name", "freeze",
                                 "header_bold", "widths", "header", "rows"}]}, every cell as
                                 {"t": "number"|"text"|"datetime"|"bool"|"empty", "v": value,
                                 "format": its number format}
  export_read.py eml FILE DIR    Python's email package: writes every attachment to DIR/<name> and
                                 prints {"attachments": [{"name", "type", "size"}]}
"""
import csv
import datetime
import email
import email.policy
import json
import os
import sys


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    return {"header": rows[0] if rows else [], "rows": rows[1:]}


def cell(c):
    v = c.value
    if v is None:
        return {"t": "empty", "v": None, "format": c.number_format}
    if isinstance(v, bool):
        return {"t": "bool", "v": v, "format": c.number_format}
    if isinstance(v, (int, float)):
        return {"t": "number", "v": v, "format": c.number_format}
    if isinstance(v, datetime.datetime):
        return {"t": "datetime", "v": v.isoformat(), "format": c.number_format}
    return {"t": "text", "v": str(v), "format": c.number_format}


def read_xlsx(path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        rows = [[cell(c) for c in row] for row in ws.iter_rows()]
        header = [c["v"] for c in rows[0]] if rows else []
        first = ws.cell(row=1, column=1)
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        sheets.append({"name": ws.title,
                       "freeze": ws.freeze_panes,
                       "header_bold": bool(first.font and first.font.b),
                       "widths": widths,
                       "header": header,
                       "rows": rows[1:]})
    return {"sheets": sheets}


def read_eml(path, directory):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = []
    for part in msg.iter_attachments():
        name = part.get_filename()
        data = part.get_payload(decode=True)
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
        out.append({"name": name, "type": part.get_content_type(), "size": len(data)})
    return {"attachments": out}


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "csv":
        result = read_csv(sys.argv[2])
    elif kind == "xlsx":
        result = read_xlsx(sys.argv[2])
    else:
        result = read_eml(sys.argv[2], sys.argv[3])
    print(json.dumps(result))
