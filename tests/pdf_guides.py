"""Guides printed to PDF the way a word processor exports them, for the PDF loader's tests: larger bold headings,
body text wrapped at the margin, list discs drawn as shapes (not typed), a running footer on every page."""

import re
from pathlib import Path

from fpdf import FPDF

_SIZES = {1: 20, 2: 15, 3: 11}
_PLAIN = str.maketrans({"’": "'", "“": '"', "”": '"', "—": "-", "–": "-", "£": "GBP ", "\u2011": "-"})


class _Printed(FPDF):
    footer_text = ""

    def footer(self):
        if self.footer_text:
            self.set_y(-12)
            self.set_font("helvetica", size=8)
            self.cell(0, 6, f"{self.footer_text} - page {self.page_no()}", align="C")


def print_markdown(markdown: str, path: Path, footer: str = "") -> Path:
    """``#``/``##``/``###`` headings, ``- `` items and paragraphs of ``markdown`` (front matter dropped)."""
    pdf = _Printed()
    pdf.footer_text = footer
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    body = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S).translate(_PLAIN)
    for block in re.split(r"\n\s*\n", body.strip()):
        heading = re.match(r"(#+)\s+(.*)", block)
        if heading:
            size = _SIZES[len(heading[1])]
            pdf.set_font("helvetica", "B", size)
            pdf.ln(3)
            pdf.multi_cell(0, size * 0.5, heading[2], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            continue
        pdf.set_font("helvetica", size=11)
        for line in block.split("\n"):
            if line.startswith("- "):
                pdf.circle(pdf.l_margin + 2.5, pdf.get_y() + 2.75, 0.7, style="F")
                pdf.set_x(pdf.l_margin + 6)
                pdf.multi_cell(0, 5.5, line[2:], markdown=True, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(0, 5.5, line, markdown=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path
