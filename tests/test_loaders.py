import shutil
from pathlib import Path

import pytest

from ingest.loaders import discover, load_file
from ingest.models import Document, Skipped

from .conftest import CORPUS, needs_chromium

SHAPES = CORPUS.parent / "evals" / "corpora" / "shapes"

MB = 2**20


def load(path: Path) -> Document | Skipped:
    return load_file(path, path.name, 20 * MB)


def test_markdown_front_matter_becomes_metadata_and_emoji_is_repaired():
    doc = load(CORPUS / "engineering-job-roles.md")
    assert isinstance(doc, Document)
    assert doc.title == "Engineering job roles"
    assert doc.metadata["description"] == "How to decide which engineering job you want"
    assert doc.metadata["emoji"] == "💼"
    assert "ðŸ" not in doc.text and "---" not in doc.text.split("\n")[0]
    paths = {s.path for s in doc.sections}
    assert ("Engineering by part of stack", "Back end engineer") in paths


def test_career_paths_txt_handles_nb_hyphens_quotes_and_trailer():
    doc = load(CORPUS / "it-career-paths.txt")
    assert isinstance(doc, Document)
    assert doc.title == "Career Paths in IT: Which Specialization Is Right for You?"
    assert "\u2011" not in doc.text and "day-to-day" in doc.text
    assert "You'll like it if" in doc.text and "’" not in doc.text
    assert "Leave a Comment" not in doc.text
    assert doc.text.rstrip().endswith("as interests evolve.")


def test_atlas_chapters_roles_and_fields_are_found():
    doc = load(CORPUS / "technology-career-atlas.txt")
    assert isinstance(doc, Document)
    assert doc.title == "The Technology Career Atlas"
    assert doc.text.count("The Technology Career Atlas") == 1
    assert "All rights reserved" not in doc.text
    sre = [s for s in doc.sections if s.path == ("Engineering", "DevOps / Platform / SRE", "Day in the life")]
    assert len(sre) == 1 and sre[0].role == "DevOps / Platform / SRE"
    assert doc.text[sre[0].start :].startswith("Day in the life: They respond to pager alerts")


def test_html_visible_text_with_headings(tmp_path: Path):
    page = tmp_path / "roles.html"
    page.write_text(
        "<html><head><title>Roles page</title><style>p{color:red}</style></head><body>"
        "<h1>Roles page</h1><h2>Data</h2><h3>Data engineer</h3><p>Builds <b>pipelines</b>.</p>"
        "<script>alert('x')</script><p>Loves SQL.</p></body></html>"
    )
    doc = load(page)
    assert isinstance(doc, Document)
    assert doc.title == "Roles page"
    assert "alert" not in doc.text and "color:red" not in doc.text
    section = next(s for s in doc.sections if s.path == ("Data", "Data engineer"))
    assert "Builds pipelines." in doc.text[section.start : section.end]
    assert section.role == "Data engineer"


def test_html_table_rows_and_glossary_terms_stay_readable(tmp_path: Path):
    """A row names its first cell and labels each other cell by its column; a term keeps its definition."""
    page = tmp_path / "side-by-side.html"
    page.write_text(
        "<h1>Guide</h1><h2>Side by side</h2><table><thead><tr><th>Role</th><th>Salary range</th><th>Travel</th></tr>"
        "</thead><tbody><tr><td>Embedded engineer</td><td>£32k&ndash;£70k</td><td>On site 3+ days</td></tr>"
        "<tr><td>Developer advocate</td><td>£45k&ndash;£80k</td><td></td></tr></tbody></table>"
        "<h2>Terms</h2><dl><dt>Firmware</dt><dd>Software stored on a device's own chip.</dd><dt>RTOS</dt>"
        "<dd>Real-time operating system</dd></dl>"
    )
    doc = load(page)
    assert isinstance(doc, Document)
    assert "Embedded engineer — Salary range: £32k–£70k; Travel: On site 3+ days." in doc.text
    assert "Developer advocate — Salary range: £45k–£80k." in doc.text
    assert "Firmware — Software stored on a device's own chip." in doc.text
    assert "RTOS — Real-time operating system" in doc.text
    assert "engineer£" not in doc.text


def test_markdown_pipe_table_rows_become_labelled_lines(tmp_path: Path):
    guide = tmp_path / "pay.md"
    guide.write_text("# Pay\n\n## Numbers\n\n| Role | Salary | Remote |\n|---|---:|:---|\n| Tester | $50k | yes |\n"
                     "| Writer | $60k | |\n\nAfter the table.\n")
    doc = load(guide)
    assert isinstance(doc, Document)
    assert "Tester — Salary: $50k; Remote: yes." in doc.text and "Writer — Salary: $60k." in doc.text
    assert "|" not in doc.text and "After the table." in doc.text


def test_pdf_text_per_page(tmp_path: Path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    for text in ("Site reliability engineers keep systems running.", "Product managers decide what to build."):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 10, text)
    path = tmp_path / "guide.pdf"
    pdf.output(str(path))
    doc = load(path)
    assert isinstance(doc, Document)
    pages = {s.path: doc.text[s.start : s.end] for s in doc.sections}
    assert "Site reliability engineers" in pages[("Page 1",)]
    assert "Product managers decide" in pages[("Page 2",)]


def test_pdf_from_a_word_processor_keeps_its_headings_paragraphs_and_lists(tmp_path: Path):
    """Headings from the fonts (the role and its labelled fields as in Markdown), sentences whole across line
    wraps and pages, drawn list discs as items, the running footer gone."""
    pytest.importorskip("fpdf")
    from .pdf_guides import print_markdown

    long = ("An IT auditor checks whether an organisation's technology controls actually work, and asks for "
            "evidence that the defences exist, are used and are reviewed by the people who own them.")
    long_sentence = "A localization engineer makes software work in other languages, " * 250 + "and regions."
    guide = "\n\n".join([
        "# Specialist careers", "Two quieter roles.",
        "## IT auditor", long, "Pay: Graduates start on 30,000 a year.", "Skills: Careful reading and SQL.",
        "### What they check", "- User access lists and the leavers who should no longer be on them at all",
        "- Change tickets",
        "## Localization engineer", long_sentence,
        "Pay: Juniors earn 32,000.", "Skills: Unicode and scripting.",
    ])
    doc = load(print_markdown(guide, tmp_path / "specialist.pdf", footer="Specialist careers"))
    assert isinstance(doc, Document) and doc.title == "Specialist careers"
    roles = {s.path: (s.role, s.field) for s in doc.sections}
    assert roles[("IT auditor", "Pay")] == ("IT auditor", "Pay")
    assert roles[("Localization engineer", "Skills")] == ("Localization engineer", "Skills")
    assert long in doc.text, "a sentence wrapped over two lines is one sentence again"
    assert "- User access lists and the leavers who should no longer be on them at all\n" in doc.text
    assert "- Change tickets" in doc.text and "\n- Change tickets" in doc.text
    assert "page" not in doc.text.lower(), "the footer on every page is not guide text"
    assert long_sentence in doc.text, "a sentence running onto the next pages stays whole"


def test_a_two_page_pdf_loses_its_footer_too(tmp_path: Path):
    pytest.importorskip("fpdf")
    from .pdf_guides import print_markdown

    guide = "# Two pages\n\n## Data analyst\n\n" + "Analysts turn raw data into charts. " * 150
    doc = load(print_markdown(guide, tmp_path / "two.pdf", footer="Careers handout"))
    assert isinstance(doc, Document) and "Analysts turn raw data into charts." in doc.text
    assert "handout" not in doc.text


@needs_chromium
def test_tables_and_glossaries_chromium_prints_read_as_in_the_original(tmp_path: Path):
    """Wrapped, middle-aligned cells and centred header cells land on different printed lines, and a glossary's
    terms print as short lines over indented definitions; each row and term must still read as the Markdown or
    HTML guide's own line ("IT auditor — Main tools: ...; Starting pay: £30,000; ...", "DevRel — Short for ...")."""
    from evals.pdf_copies import main

    fixtures = CORPUS.parent / "tests" / "fixtures" / "adviser"
    (tmp_path / "in").mkdir()
    # rows and terms; the last guide's table has ruled, top-aligned rows and a shaded header at the top of a page
    guides = {"niche-tech-roles.md": 3, "beyond-the-code-three-roles.html": 3 + 4, "accessibility-specialist.html": 4 + 5}
    for name in guides:
        shutil.copy(fixtures / name, tmp_path / "in")
    main([str(tmp_path / "in"), str(tmp_path / "out")])
    for name, count in guides.items():
        original, printed = load(fixtures / name), load(tmp_path / "out" / "in" / f"{Path(name).stem}.pdf")
        assert isinstance(original, Document) and isinstance(printed, Document)
        lines = [line for line in original.text.splitlines() if " — " in line]
        assert len(lines) == count and all(line in printed.text.splitlines() for line in lines), (lines, printed.text)
        terms = {line.split(" — ")[0] for line in lines} - {s.role for s in original.sections}
        assert not terms & {s.role for s in printed.sections}, "no glossary term is a role"


@needs_chromium
def test_a_guide_chromium_prints_to_pdf_reads_like_the_html(tmp_path: Path):
    """A real browser's PDF: its own fonts, list discs drawn as shapes, a date/title header and a page footer."""
    from evals.pdf_copies import main

    html = CORPUS.parent / "evals" / "corpora" / "adviser" / "network-and-support-careers.html"
    (tmp_path / "in").mkdir()
    shutil.copy(html, tmp_path / "in")
    main([str(tmp_path / "in"), str(tmp_path / "out")])
    printed, original = load(tmp_path / "out" / "in" / "network-and-support-careers.pdf"), load(html)
    assert isinstance(printed, Document) and isinstance(original, Document)
    assert printed.title == original.title
    assert {(s.role, s.field) for s in printed.sections} == {(s.role, s.field) for s in original.sections}
    assert "- Create plans and layouts for data communication networks\n" in printed.text
    assert "file://" not in printed.text and "1/3" not in printed.text


def test_a_password_protected_pdf_is_skipped_with_its_reason(tmp_path: Path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "A guide only its owner can open.")
    pdf.set_encryption(owner_password="owner", user_password="reader")
    pdf.output(str(tmp_path / "locked.pdf"))
    skipped = load(tmp_path / "locked.pdf")
    assert isinstance(skipped, Skipped) and skipped.reason == "password-protected PDF"


def test_cp1252_text_is_decoded_not_rejected(tmp_path: Path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 roles\n\nA d\u00e9veloppeur’s “day” is busy with na\u00efve code reviews.\n".encode("cp1252"))
    doc = load(path)
    assert isinstance(doc, Document)
    assert "développeur's \"day\"" in doc.text


def test_a_latin1_guide_keeps_its_pound_signs(tmp_path: Path):
    """The detector alone reads this as cp1250 ("Ł28,000"); Windows Western reads it as cleanly."""
    path = tmp_path / "roles.txt"
    path.write_bytes("Game developer\n\nPay: Junior game developers earn about £28,000 a year; seniors earn around "
                     "£55,000.\n\nTechnical writer\n\nPay: Technical writers earn £35,000 to £60,000; the café "
                     "crowd pays less.\n".encode("latin-1"))
    doc = load(path)
    assert isinstance(doc, Document)
    assert "£28,000" in doc.text and "£60,000" in doc.text and "café" in doc.text and "Ł" not in doc.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n ", "no text content"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("notes.docx", b"PK\x03\x04", "unsupported file type"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(tmp_path: Path, name: str, content: bytes, reason: str):
    path = tmp_path / name
    path.write_bytes(content)
    result = load(path)
    assert isinstance(result, Skipped)
    assert reason.lower() in result.reason.lower()


def test_too_large_file_is_skipped(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 300_000)
    result = load_file(path, path.name, MB)
    assert isinstance(result, Skipped) and "too large" in result.reason


def test_discover_never_follows_links_out_of_the_root(tmp_path: Path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("A\n\nBody.")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (root / "leak.txt").symlink_to(outside)
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    found = list(discover(root))
    files = [f for f in found if isinstance(f, Path)]
    skipped = [f for f in found if isinstance(f, Skipped)]
    assert files == [root / "a.txt"]
    assert [Path(s.path).name for s in skipped] == ["leak.txt"]


def test_a_label_line_over_a_numbered_list_is_the_lists_field():
    """"Pay and hours:" on its own line, then "1. ...": the items are that field of the role above them."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "delivery-and-reach-careers.txt")
    assert isinstance(doc, Document)
    pay = next(s for s in doc.sections if s.path == ("RELEASE MANAGER", "Pay and hours"))
    assert pay.role == "RELEASE MANAGER" and pay.field == "Pay and hours"
    assert "Release managers earn 50,000 to 70,000 pounds" in doc.text[pay.start:pay.end]
    assert "on-call allowance" in doc.text[pay.start:pay.end], "every item of the list"


def test_a_table_row_is_no_run_in_label():
    """"IT auditor — Main tools: ..." is a row of the section's table, not a field named "IT auditor — Main tools"."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "niche-tech-roles.md")
    assert isinstance(doc, Document)
    rows = [s for s in doc.sections if "IT auditor — Main tools" in doc.text[s.start:s.end]]
    columns = "Main tools, Starting pay, Best first step, Remote work"
    assert [(s.path, s.field, s.role) for s in rows] == [(("Comparing the three roles", "IT auditor"), columns,
                                                           "IT auditor")], \
        "a row whose first cell is a role the guide describes is about that role, its columns its field"


def test_an_interview_guide_files_each_answer_under_its_question_and_the_interviewees_job():
    """"## Meet Dana, embedded firmware engineer", then "**Q:** What does a normal day look like?" / "**A:** I
    spend...": the role is the job, each question a field (every interview asks it), no "Q:"/"A:" is left in the
    text, and a sentence wrapped at a fixed width is one line again."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "interviews-with-practitioners.md")
    assert isinstance(doc, Document)
    assert {s.role for s in doc.sections} == {None, "embedded firmware engineer", "database administrator",
                                              "network engineer"}
    day = next(s for s in doc.sections if s.role == "database administrator" and s.field)
    assert day.field == "What does a normal day look like?"
    assert doc.text[day.start:day.end].startswith("I start by checking overnight backup jobs")
    assert not any(line.startswith(("Q:", "A:")) for line in doc.text.splitlines())
    assert "responsible for a fleet of around 300 production databases." in doc.text


def test_a_page_titled_with_several_jobs_is_about_each_of_its_role_headings():
    """A <title> listing four jobs is no one role: each <h2> is, and so is each row of the comparison table that
    names it. A paragraph wrapped in the HTML source reads as one line, as a browser shows it."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "role-comparison-tables.html")
    assert isinstance(doc, Document)
    roles = {"Developer advocate", "Release manager", "CRM administrator", "Localisation engineer"}
    assert {s.role for s in doc.sections} == roles | {None}
    row = next(s for s in doc.sections if doc.text[s.start:s.end].startswith("Release manager — Typical day"))
    assert row.role == "Release manager" and "£45,000 to £75,000" in doc.text[row.start:row.end]
    assert (row.path, row.field) == (("Release manager",), "Typical day, Key skills, Entry route, Salary range")
    assert "Salary ranges are typical UK figures for 2024 and cover the span" in doc.text


def test_a_collapsible_blocks_summary_heads_its_role():
    """Roles in <details><summary>Robotics Engineer</summary>...</details> under the page's <h1>: each summary is
    a heading one level below it, so each block's text is about its role (it had all been the page's)."""
    doc = load(SHAPES / "science-and-safety-careers.html")
    assert isinstance(doc, Document)
    roles = {"Bioinformatician", "Robotics Engineer", "AI Ethicist", "SOC Analyst", "GIS Analyst"}
    assert {s.role for s in doc.sections} == roles | {None}
    robotics = next(s for s in doc.sections if s.role == "Robotics Engineer")
    assert robotics.path == ("Robotics Engineer",) and "ROS 2" in doc.text[robotics.start:robotics.end]


def test_underlined_headings_and_field_lists_of_restructuredtext_are_read_as_headings_and_labels():
    """"Accessibility specialist" over "=====" is a role heading and "Day to day" over "-----" its section, ranked by
    the order their underlines first appear; ":Typical pay: ..." with its indented lines is one "Typical pay:"
    line, and ".. note::" a "Note:" line, so no answer quotes half a wrapped field or the markup."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "people-facing-tech-roles.txt")
    assert isinstance(doc, Document)
    assert doc.title == "Field Notes on People-Facing Technology Careers"
    assert {"Accessibility specialist", "Developer advocate", "Data protection officer",
            "Robotics technician"} <= {s.role for s in doc.sections}
    assert "=====" not in doc.text and "----" not in doc.text and ".. note::" not in doc.text
    pay = next(s for s in doc.sections if s.role == "Developer advocate" and "Typical pay" in (s.field or ""))
    assert ("Typical pay: In the United States, $110,000 to $160,000 base salary; senior and staff advocates at "
            "large companies can exceed $180,000 with stock.") in doc.text[pay.start:pay.end]
    assert "Note: In the public sector, accessibility is a legal requirement" in doc.text


def test_a_panel_transcript_puts_each_answer_under_its_speaker_and_the_hosts_question():
    """"Marcus (host): Let's talk money ... Priya?" then "Priya (firmware engineer): In the UK a graduate ...": the
    answer is a section of the firmware engineer's headed by the host's question; the host is never a heading."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "behind-the-build-panel-transcript.txt")
    assert isinstance(doc, Document)
    assert doc.title == "Behind the Build: A Careers Panel Transcript"
    pay = next(s for s in doc.sections if s.role == "Priya (firmware engineer)" and "money" in (s.field or ""))
    assert "graduate firmware engineer usually starts around £32,000" in doc.text[pay.start:pay.end]
    assert not any("Marcus" in part for s in doc.sections for part in s.path)
    assert "Marcus (host):" not in doc.text


def test_a_list_of_short_items_under_a_lead_in_is_one_sentence():
    """"- working towards this role" had been quoted alone, as a bullet of its own, without "You can get into this
    job through:"."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "uk-tech-job-profiles.md")
    assert isinstance(doc, Document)
    assert ("You can get into this job through: a college course; an apprenticeship; working towards this role; "
            "applying directly.") in doc.text
    assert "\n- working towards this role" not in doc.text


def test_a_list_item_naming_a_role_over_nested_items_is_that_roles_heading():
    """"- **Scrum master**" over "  - Typical pay: ..." is the scrum master's section, the nested items its fields
    (they had been fields of no role, so remote work was "not covered" for every role of the list)."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "lesser-known-tech-roles-cheatsheet.md")
    assert isinstance(doc, Document)
    assert {"Scrum master", "Technical recruiter", "Digital forensics analyst", "Bioinformatician"} <= {
        s.role for s in doc.sections}
    remote = next(s for s in doc.sections if s.path == ("Scrum master", "Remote, on-call and travel"))
    assert "very remote-friendly" in doc.text[remote.start:remote.end]
    assert "\n  - " not in doc.text, "the nested items are the section's own list"


def test_a_numbered_outline_is_read_as_headings():
    """"1. CLOUD ARCHITECT" over "1.1 What the job is", "1.2 Money" ...: each top number a role, each sub-number
    its field; "5.2 Highest pay: cloud architect." ends in a full stop, so it is an item, not a heading."""
    doc = load(SHAPES / "infrastructure-and-support-careers-handbook.txt")
    assert isinstance(doc, Document)
    assert {s.role for s in doc.sections} == {"CLOUD ARCHITECT", "ACCESSIBILITY TESTER", "IT SERVICE DESK LEAD",
                                             "DATA ANNOTATOR / AI TRAINER", None}
    money = next(s for s in doc.sections if s.path == ("CLOUD ARCHITECT", "Money"))
    assert money.field == "Money" and "£650 to £800 per day" in doc.text[money.start:money.end]
    assert "5.2 Highest pay: cloud architect." in doc.text
    assert not any("Edition 3" in part for s in doc.sections for part in s.path)


def test_a_labelled_role_heading_names_its_job_and_a_sentence_is_no_label():
    """"#### Role: FinOps engineer" is about the FinOps engineer, as the table row naming it is; "**Hours** follow
    the customer:" opens a sentence, not a field."""
    doc = load(SHAPES / "emerging-tech-roles.md")
    assert isinstance(doc, Document)
    finops = [s for s in doc.sections if s.role == "FinOps engineer"]
    assert {s.path for s in finops} == {("Role: FinOps engineer",), ("Choosing between them", "FinOps engineer")}
    assert not any(s.field and "follow" in s.field for s in doc.sections)


def test_a_quick_facts_block_is_named_by_every_label():
    """Four label lines under each occupation ("Median pay: ...", ..., "Job outlook: ..."): one field named by all
    four, so the block answers the outlook as it does the pay."""
    doc = load(SHAPES / "occupation-profiles.txt")
    assert isinstance(doc, Document)
    facts = next(s for s in doc.sections if s.role == "PENETRATION TESTER" and "Job outlook" in (s.field or ""))
    assert facts.field == "Median pay, Typical entry education, Work experience, Job outlook"


def test_a_table_whose_columns_are_jobs_reads_one_job_a_line_under_marked_role_headings():
    """"| | Embedded security engineer | Data steward | ..." with rows "Salary", "Hours": one line per job; "▶ Data
    steward" on its own line is a heading, and a heading beside role headings whose text names it is a role too
    (a job's name need not end in a job word)."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "quiet-tech-jobs-side-by-side.md")
    assert isinstance(doc, Document)
    assert "Data steward — Salary: £38k–£50k; Hours: 37 a week, 9 to 5;" in doc.text
    assert "▶" not in doc.text
    roles = {"Embedded security engineer", "Data steward", "IT trainer", "E-learning developer"}
    assert {s.role for s in doc.sections} == roles | {None}
    steward = [s for s in doc.sections if s.role == "Data steward"]
    assert len(steward) == 2 and all(s.path == ("Data steward",) for s in steward)


def test_a_corrupt_pdf_is_skipped_as_corrupt_not_as_locked(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthe rest of this file was lost in a copy")
    skipped = load(path)
    assert isinstance(skipped, Skipped) and skipped.reason.startswith("corrupt PDF")


def test_a_word_processors_table_reads_row_by_row(tmp_path: Path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Typical starting salaries of three roles graduates ask about, for their first year in the UK.",
                   new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(40, 40, 100)) as table:
        for cells in (("Role", "Starting salary", "Where people work"),
                      ("Data analyst", "GBP 28,000", "Retail, banks and public services across the whole country"),
                      ("QA tester", "GBP 25,000", "Software houses")):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.output(str(tmp_path / "salaries.pdf"))
    doc = load(tmp_path / "salaries.pdf")
    assert isinstance(doc, Document)
    assert "Data analyst — Starting salary: GBP 28,000; Where people work: Retail, banks and public services across " \
           "the whole country." in doc.text.splitlines()
    assert "QA tester — Starting salary: GBP 25,000; Where people work: Software houses." in doc.text.splitlines()
    assert doc.text.startswith("## Page 1\n\nTypical starting salaries"), "the header row is no heading"


@pytest.mark.parametrize("repeat_headings", [0, 1])
def test_a_table_running_onto_the_next_page_is_one_table(tmp_path: Path, repeat_headings: int):
    """Its rows on the second page keep the column headings, whether or not the word processor printed them again
    (without them, the first row there had been read as the headings and lost)."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Starting salaries of the roles graduates ask about most, in their first year.\n" * 28,
                   new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(40, 40, 100), repeat_headings=repeat_headings) as table:
        for cells in [("Role", "Starting salary", "Where people work"),
                      *((f"Role number {n}", f"GBP {20 + n},000", "Retail and banks") for n in range(1, 16))]:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.output(str(tmp_path / "salaries.pdf"))
    doc = load(tmp_path / "salaries.pdf")
    assert isinstance(doc, Document) and pdf.pages_count == 2
    rows = [line for line in doc.text.splitlines() if line.startswith("Role")]
    assert rows == [f"Role number {n} — Starting salary: GBP {20 + n},000; Where people work: Retail and banks."
                    for n in range(1, 16)]


def test_underlined_markdown_headings_and_decorated_ones_read_as_headings(tmp_path: Path):
    path = tmp_path / "privacy.md"
    path.write_text("Privacy Work\n============\n\nTwo jobs, one path.\n\n---\n\nWho's who\n---------\n\n"
                    "### >> Privacy Analyst\n\n**Money:** £28,000 to £38,000 a year.\n\n"
                    "```\nnot a heading\n-------------\n```\n", encoding="utf-8")
    doc = load(path)
    assert isinstance(doc, Document) and doc.title == "Privacy Work"
    assert "# Privacy Work\n" in doc.text and "## Who's who\n" in doc.text and "### Privacy Analyst\n" in doc.text
    assert "\n---\n" in doc.text, "a rule after a blank line stays a rule"
    assert "not a heading\n-------------" in doc.text, "code is left as written"
    assert ("Privacy Analyst", "Money") in [(s.role, s.field) for s in doc.sections]


def test_a_single_role_guide_is_about_the_job_its_title_names_not_the_whole_title():
    """Each answer part is labelled with its role: "Careers in Digital Accessibility: The Accessibility Specialist"
    had been the label of every part from this guide."""
    doc = load(CORPUS.parent / "tests" / "fixtures" / "adviser" / "accessibility-specialist.html")
    assert isinstance(doc, Document) and doc.title == "Careers in Digital Accessibility: The Accessibility Specialist"
    assert {s.role for s in doc.sections} == {"Accessibility Specialist"}


def test_an_occupation_profile_in_plain_text_reads_role_by_role():
    """ALL-CAPS occupation headings with "Median pay: ..." lines right under them and Title Case sub-headings
    ("What they do") right over their paragraphs, hard-wrapped at 80 characters: each sub-heading is a field of
    the occupation above it, and every wrapped sentence is whole (whatever the next line starts with)."""
    doc = load(SHAPES / "occupation-profiles.txt")
    assert isinstance(doc, Document)
    assert {s.role for s in doc.sections} == {"PENETRATION TESTER", "IT PROJECT MANAGER", "ERP CONSULTANT"}
    pay = next(s for s in doc.sections if s.role == "ERP CONSULTANT" and s.field == "Pay")
    assert doc.text[pay.start:pay.end].startswith("The median annual wage for ERP consultants was $104,000.")
    assert "the highest 10 percent earned more than $165,000." in doc.text
    assert "The most respected certification is the Offensive Security Certified Professional (OSCP)" in doc.text
    assert "month-end and year-end" in doc.text, "a word hyphenated across a line break is one word again"


def test_a_narrative_guide_titled_with_no_job_is_about_no_one_role_but_its_table_rows_are():
    """A blog post whose title and headings name no job: its prose speaks for no single role (not for its title),
    while each row of its comparison table is about the job its first cell names. A wrapped list item is one."""
    doc = load(Path(__file__).parent / "fixtures" / "adviser" / "my-route-into-tech.md")
    assert isinstance(doc, Document)
    assert {s.role for s in doc.sections} == {None, "Technical support analyst", "GIS analyst", "Data governance analyst"}
    row = next(s for s in doc.sections if s.role == "GIS analyst")
    assert doc.text[row.start:row.end].startswith("GIS analyst — Typical starting salary: £26,000-£32,000")
    assert any(line.startswith("- Build one small portfolio project") and line.endswith(".")
               for line in doc.text.splitlines())
