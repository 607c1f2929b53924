from ingest.cleaning import clean_text, interview_headings, normalize_unicode


def test_mojibake_emoji_is_repaired():
    assert normalize_unicode("emoji: ðŸ’¼") == "emoji: 💼"


def test_non_breaking_hyphen_and_curly_quotes_become_plain():
    text = normalize_unicode("day\u2011to\u2011day, “quoted” and You’ll")
    assert text == 'day-to-day, "quoted" and You\'ll'


def test_nfkc_folds_compatibility_characters():
    assert normalize_unicode("ﬁne ＡＢＣ") == "fine ABC"


def test_comment_form_trailer_is_dropped_but_content_kept():
    raw = "Intro line\n\nReal content here.\n\nLeave a Comment\nYour email address will not be published. Required fields are marked *\n"
    cleaned = clean_text(raw)
    assert "Real content here." in cleaned
    assert "Leave a Comment" not in cleaned
    assert "email address" not in cleaned


def test_control_characters_removed_and_blank_runs_collapsed():
    assert clean_text("a\x00b\x07c\n\n\n\n\nd") == "abc\n\nd\n"


def test_a_sentence_wrapped_at_a_fixed_width_is_one_line_again_but_nothing_else_joins():
    text = clean_text("## Network engineer\nworks on routers.\n\nTom looks after a\nfleet of 40 sites.\n"
                      "Pay: good\nHours: long\n\n```\nx = 1\ny = 2\n```\n| a |\nb\n")
    assert "Tom looks after a fleet of 40 sites." in text
    assert "## Network engineer\nworks on routers." in text, "a heading never takes the line under it"
    assert "Pay: good\nHours: long" in text, "a line starting in capitals starts anew"
    assert "x = 1\ny = 2" in text and "| a |\nb" in text, "code and table rows stay as written"


def test_an_interview_becomes_question_headings_only_where_it_is_one():
    interview = interview_headings("## Meet Tom, network engineer\n\nQ: Is there on-call?\n\nA: Yes, one week in four.\n\n"
                                   "Q: Does it pay?\n\nA: About £40,000.\n")
    assert "### Is there on-call?\n\nYes, one week in four." in interview
    one_label = "Pay and hours\n\nA: nine to five.\n"
    assert interview_headings(one_label) == one_label


def test_a_text_wrapped_at_a_fixed_width_joins_even_where_the_next_line_starts_in_capitals():
    wrapped = ("PENETRATION TESTER\nMedian pay: $112,000 per year\n\nWhat they do\n"
               + "Testers find weaknesses in systems. The most respected certification is the\n"
               + "Offensive Security Certified Professional (OSCP), and the top 10 percent earn\n"
               + "$165,000 or more during month-end and year-\nend peaks of work for banks.\n") * 3
    text = clean_text(wrapped)
    assert "is the Offensive Security Certified Professional (OSCP), and the top 10 percent earn $165,000" in text
    assert "month-end and year-end peaks" in text
    assert "PENETRATION TESTER\nMedian pay: $112,000 per year\n\nWhat they do\nTesters" in text, \
        "a heading and a label line stay lines of their own"
