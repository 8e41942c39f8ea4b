"""The demo data files: read whole, with no field misspelt or forgotten."""

import pytest

from app.demo import data, documents


def test_parse_reads_a_left_out_optional_field_as_none() -> None:
    rows = data.parse(
        '[[sources]]\nkey = "a"\nurl = "https://a.invalid/"\ntitle = "A"\n'
        'publisher = "P"\nkind = "news"\nderived_from = []\n',
        "sources",
    )
    assert rows == [
        {
            "key": "a",
            "url": "https://a.invalid/",
            "title": "A",
            "publisher": "P",
            "published_on": None,
            "kind": "news",
            "derived_from": [],
        }
    ]


def test_parse_refuses_a_misspelt_field() -> None:
    text = '[[entities]]\nslug = "a"\nname = "A"\nalias = []\n'
    with pytest.raises(data.BadDemoData, match=r"unknown \['alias'\], missing \['aliases'\]"):
        data.parse(text, "entities")


def test_demo_targets_name_their_claim_by_key() -> None:
    keys = {(c["entity"], c["metric"], c["kind"]) for c in data.CLAIMS}
    targets = [t for i in data.INDICATORS for t in i["targets"]]
    assert [t["claim"] for t in targets] == [
        ("eaeu", "trade-turnover", "projection"),
        ("ktz", "new-rail-length", "target"),
    ]
    assert all(t["claim"] in keys for t in targets)


def test_demo_seed_urls_end_with_their_document_names() -> None:
    urls = {s["key"]: s["url"] for s in data.SOURCES}
    assert urls["briefing"] == data.BRIEFING_URL
    assert urls["radio"] == data.RADIO_URL
    for key, file in documents.DOCUMENTS.items():
        assert urls[key] == "https://claimtrack.invalid/seeds/" + file.removesuffix(".txt")
