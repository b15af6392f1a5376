"""Decision (docs/packets.md): folder discovery matches `.yaml`/`.yml`/`.md` ignoring case, so an
upper-case suffix is never silently skipped; `filename-mismatch` still asks for `<id>.yaml`."""

from __future__ import annotations

import json

TODAY = "2026-11-23"


def test_upper_case_suffixes_are_found_and_checked(cli, docs):
    before = json.loads(cli("check", docs, "--format", "json", "--today", TODAY).stdout)["files_checked"]
    (docs / "packets" / "ESC-2026-0142.yaml").rename(docs / "packets" / "ESC-2026-0142.YAML")
    (docs / "runbooks" / "RB-LATENCY.md").rename(docs / "runbooks" / "RB-LATENCY.MD")
    result = cli("check", docs, "--format", "json", "--today", TODAY)
    payload = json.loads(result.stdout)
    assert payload["files_checked"] == before
    assert [(p["file"].rsplit("/", 1)[-1], p["code"]) for p in payload["problems"]] == [
        ("ESC-2026-0142.YAML", "filename-mismatch")]
    assert result.exit_code == 0
