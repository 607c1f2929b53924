"""Print a folder of guides to PDF, as an adviser exporting them would, to score the PDF loader on known text.

Markdown and HTML go through headless Chromium (the browser's own fonts, drawn list discs, a running header and
footer on every page); plain text through fpdf2 in one font, as a text editor prints it. The copies keep the
folder's name, so ``careerchat eval --corpus OUT/<name>`` scores them on that suite's cases:

    python -m evals.pdf_copies evals/corpora/adviser /tmp/pdf
    careerchat eval --corpus /tmp/pdf/adviser --split dev --out /tmp/pdf-eval
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import frontmatter
from fpdf import FPDF
from markdown_it import MarkdownIt

_LATIN1 = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\u2011": "-"})


def print_html(page: Path, out: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("needs Debian's chromium (make browser installs it)")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}",
                    page.resolve().as_uri()], check=True, capture_output=True, timeout=120)


def print_markdown(guide: Path, out: Path) -> None:
    post = frontmatter.load(guide)
    body = MarkdownIt().enable("table").render(post.content)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"{guide.stem}.html"
        page.write_text(f"<html><head><meta charset='utf-8'><title>{post.get('title', guide.stem)}</title></head>"
                        f"<body>{body}</body></html>")
        print_html(page, out)


def print_text(guide: Path, out: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for paragraph in guide.read_text().split("\n\n"):
        text = paragraph.strip().translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(out))


PRINTERS = {".md": print_markdown, ".html": print_html, ".htm": print_html, ".txt": print_text}


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        sys.exit(__doc__)
    source, root = Path(argv[0]), Path(argv[1])
    out = root / source.name
    out.mkdir(parents=True, exist_ok=True)
    for guide in sorted(source.iterdir()):
        if guide.suffix in PRINTERS:
            PRINTERS[guide.suffix](guide, out / f"{guide.stem}.pdf")
            print(out / f"{guide.stem}.pdf")


if __name__ == "__main__":
    main(sys.argv[1:])
