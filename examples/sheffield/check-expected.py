#!/usr/bin/env python3
"""Totals of the example extracts, computed independently of Tandem (no Tandem code, no
JavaScript): reads the files as a finance officer's spreadsheet would, applies the mapping rules
of ledgers/scc.yaml and ledgers/sccg.yaml as re-written by hand below, and prints the tables
of EXPECTED.md. Run from anywhere: `python3 examples/sheffield/check-expected.py`.

Python's standard library only: csv, decimal, zipfile and ElementTree for the XLSX.
"""

import csv
import io
import re
import zipfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMES = ["pkw", "ils", "asr", "lths", "nel"]


def pence(text):
    """'(1,234.56)' / '1,234.56' / '1234.5' -> integer pence, exactly."""
    t = text.strip().replace(",", "")
    negative = t.startswith("(") and t.endswith(")")
    if negative:
        t = t[1:-1]
    value = Decimal(t) * 100
    assert value == value.to_integral_value(), text
    return -int(value) if negative else int(value)


# --- the council (scc): Windows-1252 CSV, title line, totals line, dd/mm/yyyy dates -------------

def scc_rule(cost_centre, subjective):
    """ledgers/scc.yaml, first match wins."""
    if subjective.isdigit() and 8000 <= int(subjective) <= 8999:
        return "out_of_scope"
    if cost_centre == "C4990":
        return "out_of_scope"
    if cost_centre.startswith("C41"):
        return "pkw"
    if cost_centre in ("C4201", "C4202"):
        return "ils"
    if cost_centre.startswith("C43"):
        return "asr"
    if re.fullmatch(r"C44[0-9]{2}", cost_centre):
        return "lths"
    return "unmapped"


def scc_lines(path):
    text = path.read_bytes().decode("cp1252")
    physical = text.split("\r\n")
    assert physical[-1] == "", "file ends with CRLF"
    body = physical[1:-2]  # skip_top 1 (title), skip_bottom 1 (totals)
    totals_line = next(csv.reader([physical[-2]]))
    rows = list(csv.DictReader(io.StringIO("\n".join(body))))
    lines = []
    for row in rows:
        day, month, year = row["Transaction Date"].split("/")
        period = int(month) - 3 if int(month) >= 4 else int(month) + 9
        lines.append((period, scc_rule(row["Cost Centre"], row["Subjective"]), pence(row["Amount"])))
    # The ledger's own control total must agree with the lines.
    assert sum(p for _, _, p in lines) == pence(totals_line[5]), path
    return lines


# --- the CCG (sccg): CSV (UTF-8 with BOM) and XLSX, Debit/Credit, Period + Year -----------------

def sccg_rule(cost_centre, account, analysis):
    """ledgers/sccg.yaml, first match wins."""
    if account.startswith("5219"):
        return "out_of_scope"
    if cost_centre == "709900":
        return "out_of_scope"
    if analysis == "NEL01":
        return "nel"
    if analysis in ("ASR01", "ASR02"):
        return "asr"
    if analysis.startswith("CHC"):
        return "lths"
    if analysis == "PKW01":
        return "pkw"
    if analysis == "ILS01":
        return "ils"
    return "unmapped"


def sccg_line(row):
    assert row["Year"] == "2025/26"
    amount = pence(row["Debit"] or "0") - pence(row["Credit"] or "0")
    rule = sccg_rule(row["Cost Centre"], row["Account"], row["Analysis Code"])
    return (int(row["Period"]), rule, amount)


def sccg_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "CRLF line ends"
    return [sccg_line(row) for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))]


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def column_of(ref):
    return re.match(r"[A-Z]+", ref).group(0)


def sccg_xlsx(path):
    with zipfile.ZipFile(path) as z:
        shared = [si.findtext("m:t", namespaces=NS) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)]
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    table = []
    for row in sheet.find("m:sheetData", NS).findall("m:row", NS):
        cells = {}
        for c in row.findall("m:c", NS):
            v = c.findtext("m:v", namespaces=NS)
            cells[column_of(c.get("r"))] = shared[int(v)] if c.get("t") == "s" else (v or "")
        table.append([cells.get(col, "") for col in "ABCDEFGHI"])
    header, *data = table
    return [sccg_line(dict(zip(header, values))) for values in data]


# --- the tables ---------------------------------------------------------------------------------

def pounds(p):
    sign = "-" if p < 0 else ""
    return f"{sign}{abs(p) // 100:,}.{abs(p) % 100:02d}"


def report(ledger, files):
    print(f"\n### Ledger `{ledger}`\n")
    print("| file | period | lines | total pence | " + " | ".join(SCHEMES) + " | out of scope | unmapped |")
    print("|---|---|---:|---:|" + "---:|" * len(SCHEMES) + "---:|---:|")
    for name, lines in files:
        periods = sorted({p for p, _, _ in lines})
        assert len(periods) == 1, (name, periods)
        count = defaultdict(int)
        total = defaultdict(int)
        for _, target, amount in lines:
            count[target] += 1
            total[target] += amount
        cell = lambda t: f"{count[t]} / {total[t]}" if count[t] else "–"
        print(
            f"| `{name}` | 2025-26 M{periods[0]:02d} | {len(lines)} | {sum(a for _, _, a in lines)} | "
            + " | ".join(cell(s) for s in SCHEMES)
            + f" | {cell('out_of_scope')} | {cell('unmapped')} |"
        )


def main():
    scc = [(f"scc/2025-26-M0{m}.csv", scc_lines(HERE / f"ledgers/scc/2025-26-M0{m}.csv")) for m in (1, 2, 3)]
    sccg = [
        ("sccg/2025-26-M01.csv", sccg_csv(HERE / "ledgers/sccg/2025-26-M01.csv")),
        ("sccg/2025-26-M02.csv", sccg_csv(HERE / "ledgers/sccg/2025-26-M02.csv")),
        ("sccg/2025-26-M03.xlsx", sccg_xlsx(HERE / "ledgers/sccg/2025-26-M03.xlsx")),
    ]
    report("scc", scc)
    report("sccg", sccg)
    print("\n### Mapped actuals per scheme, both ledgers (pence)\n")
    print("| scheme | M01 | M02 | M03 | YTD M03 |")
    print("|---|---:|---:|---:|---:|")
    for scheme in SCHEMES:
        months = [sum(a for p, t, a in lines if t == scheme and p == m) for m in (1, 2, 3) for lines in [sum((l for _, l in scc + sccg), [])]]
        print(f"| {scheme} | {months[0]} | {months[1]} | {months[2]} | {sum(months)} |")


main()
