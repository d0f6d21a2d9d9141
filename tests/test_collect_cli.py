"""``chc collect`` through typer's CliRunner against the fake site on 127.0.0.1: exit
codes, progress and failures on stderr, --json, usage errors; the README's three commands
(run end to end in test_collect_crawl.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_site import LANDLORD, LiveSite
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()
FAST = ["--delay", "0", "--timeout", "0.5", "--max-mb", "0.3"]


def sites_csv(tmp_path: Path, live_site: LiveSite, *lines: tuple[str, str, str]) -> Path:
    path = tmp_path / "sites.csv"
    rows = [f'"{name}",{kind},{live_site.url(p)}' for name, kind, p in lines]
    path.write_text("landlord,landlord_type,url\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_help_ends_with_an_example() -> None:
    result = runner.invoke(app, ["collect", "--help"], terminal_width=120)
    assert result.exit_code == 0
    last = [line for line in result.output.splitlines() if line.strip()][-1]
    assert last.strip() == "Example: chc collect sites.csv --out downloads/"


def test_a_failed_site_exits_1_with_its_reason_and_json_matches_the_files(
    live_site: LiveSite, tmp_path: Path
) -> None:
    sites = sites_csv(
        tmp_path,
        live_site,
        ("Gone Homes", "", "/gone"),
        (LANDLORD, "council", "/complaints/self-assessment/section-2"),
    )
    out = tmp_path / "downloads"
    result = runner.invoke(
        app, ["collect", str(sites), "--out", str(out), "--depth", "0", *FAST, "--json"]
    )
    assert result.exit_code == 1, result.output
    err = result.stderr
    assert "[1/2] Gone Homes: " in err
    assert "site failed: The start page" in err
    assert "the server answered 404 Not Found." in err
    assert "[2/2] Tamworth Borough Council: " in err
    assert "kept       tamworth-borough-council/section-2.html" in err
    assert "2 sites (1 failed, 0 without a self-assessment); 1 self-assessment files kept" in err
    data = json.loads(result.stdout)
    assert data["totals"]["kept"] == 1
    assert data["totals"]["manifest_rows"] == 1
    assert [s["status"] for s in data["sites"]] == ["failed", "ok"]
    kept = data["sites"][1]["urls"][0]
    assert kept["file"] == "tamworth-borough-council/section-2.html"
    assert (out / kept["file"]).is_file()
    manifest = (out / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert manifest[1] == (
        f"{kept['file']},{LANDLORD},council,,{live_site.url('/complaints/self-assessment/section-2')}"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user-agent", "Mozilla/5.0"], "does not name chc"),
        (["--timeout", "0"], "--timeout must be more than 0 seconds"),
        (["--depth", "-1"], "--depth must be 0 or more"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("landlord,url\nA,https://a.example/\n", encoding="utf-8")
    result = runner.invoke(app, ["collect", str(sites), "--out", str(tmp_path / "o"), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_sites_file_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("name,link\nA,https://a.example/\n", encoding="utf-8")
    result = runner.invoke(app, ["collect", str(sites), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Error: The sites file" in result.stderr
    assert (
        "Hint: The first line must name the columns: landlord,landlord_type,url." in result.stderr
    )


def test_the_readme_shows_the_three_command_path() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert (
        "```\nchc collect sites.csv --out downloads/\n"
        "chc ingest downloads/ --manifest downloads/manifest.csv\nchc report\n```"
    ) in readme
