"""The index's numpy columns read back what was written, memory-mapped, and answer lookups as the lists did."""

import numpy as np

from bot.columns import Coded, Positions, Strings, Table

ROWS = [{"source": "a.md", "role": "SRE"}, {"source": "b.txt"}, {"source": "a.md", "role": "SRE"},
        {"source": "a.md", "role": "QA"}]


def test_strings_round_trip_through_memory_mapped_files(tmp_path):
    texts = Strings.of(["Définition: “quoted”", "", "plain"])
    texts.save(tmp_path, "texts")
    loaded = Strings.load(tmp_path, "texts")
    assert isinstance(loaded.blob, np.memmap)
    assert list(loaded) == ["Définition: “quoted”", "", "plain"] and loaded[-1] == "plain" and len(loaded) == 3
    assert "plain" in loaded


def test_table_rows_distinct_values_and_masks(tmp_path):
    table = Table.of(ROWS, ("source", "role"))
    assert table[1] == {"source": "b.txt", "role": ""}, "a missing field reads as empty, as .get(key, '') did"
    assert table.values("source") == ["a.md", "b.txt"], "first appearance order"
    sre = table.columns["role"].where(lambda role: role == "SRE")
    assert sre.tolist() == [True, False, True, False]
    assert table.distinct(("source", "role")) == [("a.md", "SRE"), ("b.txt", ""), ("a.md", "QA")]
    assert table.distinct(("source",), sre) == [("a.md",)]
    assert table.distinct(("source",), np.zeros(4, dtype=bool)) == []
    loaded = Table.load(tmp_path, "metas", table.save(tmp_path, "metas"))
    assert list(loaded) == list(table)


def test_coded_values_are_mapped_once_per_distinct_value():
    seen = []
    roles = Coded.of(["SRE", "", "SRE"]).mapped(lambda r: seen.append(r) or frozenset({r.lower()} - {""}))
    assert list(roles) == [frozenset({"sre"}), frozenset(), frozenset({"sre"})] and seen == ["SRE", ""]


def test_positions_find_every_id_and_only_those(tmp_path):
    ids = [f"{n:032x}" for n in (5, 3, 9, 1)]
    positions = Positions.of(ids)
    positions.save(tmp_path, "position")
    loaded = Positions.load(tmp_path, "position")
    assert [loaded[i] for i in ids] == [0, 1, 2, 3]
    assert loaded.get("f" * 32) is None and "0" * 31 not in loaded and "" not in Positions.of([])
