from ingest.cleaning import clean_text, normalize_unicode


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
