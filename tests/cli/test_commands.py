"""`claimtrack import` of CSV files, `claimtrack keys list / revoke`, and a bad `--role`."""

from pathlib import Path

from tests.test_cli import run

CLAIMS_CSV = (
    "entity,metric,value_text,period,stated_by,asserted_on,statement,citations\n"
    'KTZ,investment,$10 billion,to 2030,KTZ,2026-05-28,KTZ invests,"[{""url"": '
    '""https://a.example/1"", ""title"": ""A"", ""quote"": ""ten""}, {""url"": '
    '""https://b.example/2"", ""title"": ""B"", ""quote"": ""10""}]"\n'
)


def test_import_csv_of_claims_and_of_observations(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert run(db, "migrate").returncode == 0
    assert run(db, "seed").returncode == 0
    claims = tmp_path / "claims.csv"
    claims.write_text(CLAIMS_CSV)
    done = run(db, "import", str(claims))
    assert (done.returncode, done.stdout) == (
        0,
        f"imported 1 claims from {claims} (0 were there already)\n",
    )
    observed = tmp_path / "observed.csv"
    observed.write_text(
        "period,value_text,vintage\n"
        + "".join(f"{2028 + n},$9{n} billion,2032-0{n}-10\n" for n in (1, 2, 3))
    )
    stored = run(db, "import", str(observed), "--indicator", "eaeu-trade-turnover")
    assert (stored.returncode, stored.stdout, stored.stderr) == (
        0,
        f"imported 3 observations of eaeu-trade-turnover from {observed}\n",
        "",
    )
    observed.write_text("period,value_text,vintage\n2032,$9,2033-03-10\n")
    typo = run(db, "import", str(observed), "--indicator", "eaeu-trade-turnover")
    assert typo.returncode == 2
    assert typo.stderr.startswith("import refused, nothing was written: row 1: value 9 is more")
    assert typo.stderr.rstrip().endswith("([1].value)")
    confirmed = run(db, "import", str(observed), "--indicator", "eaeu-trade-turnover", "--confirm")
    assert confirmed.returncode == 0, confirmed.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("entity,metric,colour\nKTZ,investment,red\n")
    refused = run(db, "import", str(bad))
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr


def test_keys_list_revoke_and_a_bad_role(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert run(db, "migrate").returncode == 0
    wrong = run(db, "keys", "create", "bot", "--role", "wizard")
    assert wrong.returncode == 2
    assert "Traceback" not in wrong.stderr
    said = " ".join(wrong.stderr.replace("│", " ").split())
    assert "'wizard' is not one of 'reader', 'analyst', 'reviewer', 'admin'." in said
    assert run(db, "keys", "create", "boss", "--role", "admin").returncode == 0
    assert run(db, "keys", "create", "bot", "--role", "analyst").returncode == 0
    listed = run(db, "keys", "list")
    assert listed.returncode == 0
    lines = [line for line in listed.stdout.splitlines() if " bot " in line or " boss " in line]
    assert [line.split("│")[1:4] for line in lines] == [
        [" 1  ", " boss ", " admin   "],
        [" 2  ", " bot  ", " analyst "],
    ]
    revoked = run(db, "keys", "revoke", "2")
    assert (revoked.returncode, revoked.stdout) == (0, "revoked key 2 (bot)\n")
    assert "never" in run(db, "keys", "list").stdout
    missing = run(db, "keys", "revoke", "9")
    assert (missing.returncode, missing.stderr) == (1, "no API key 9\n")
    last = run(db, "keys", "revoke", "1")
    assert last.returncode == 1
    assert last.stderr.startswith("key 1 is the last live admin key")
