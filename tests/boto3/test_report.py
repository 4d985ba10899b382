"""Reports checked by independent tools: the CloudFormation `pinshift report` writes passes cfn-lint, and
the HTML report renders in Debian's Chromium (screenshot and print-to-PDF saved for people to look at)."""

import json
import os
import subprocess
import sys
from pathlib import Path

PINSHIFT = os.environ.get("PINSHIFT_BIN", "pinshift")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("PINSHIFT_ARTIFACTS", Path(__file__).resolve().parents[1] / "artifacts"))


def scanned_demo(demo, tmp):
    northwind = next(a for a in demo["accounts"] if a["name"] == "northwind")
    (tmp / "credentials").write_text(
        f"[nw]\naws_access_key_id = {northwind['access_key_id']}\naws_secret_access_key = {northwind['secret_access_key']}\n")
    (tmp / "config").write_text("[profile nw]\nregion = us-east-1\n")
    env = {**os.environ, "AWS_ENDPOINT_URL": demo["endpoint"], "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "credentials"),
           "AWS_CONFIG_FILE": str(tmp / "config"), "NO_COLOR": "1"}

    def run(*args):
        done = subprocess.run([PINSHIFT, "--engagement", str(tmp / "e.pinshift"), *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, f"pinshift {' '.join(args)}: {done.stderr}"
        return done

    run("init", str(tmp / "e.pinshift"), "--name", "Demo BPO")
    run("connection", "add", "nw", "--profile", "nw")
    run("scan", "--region", "us-east-1")
    return run


def test_the_cloudformation_report_passes_cfn_lint(demo, tmp_path):
    run = scanned_demo(demo, tmp_path)
    run("report", "--format", "cloudformation", "--out", str(tmp_path / "cfn"))
    templates = sorted((tmp_path / "cfn").glob("*.json"))
    assert len(templates) == 12, [t.name for t in templates]  # 11 clients + the shared stack
    types = set()
    for t in templates:
        types.update(r["Type"] for r in json.loads(t.read_text())["Resources"].values())
    assert {"AWS::SES::Tenant", "AWS::SES::ConfigurationSet", "AWS::SES::Template", "AWS::SMSVOICE::Pool",
            "AWS::SMSVOICE::OptOutList", "AWS::SMSVOICE::ConfigurationSet", "AWS::Connect::Instance",
            "AWS::CustomerProfiles::Domain"} <= types, types
    lint = subprocess.run([str(Path(sys.executable).parent / "cfn-lint"), *map(str, templates)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_the_html_report_renders_and_prints(demo, tmp_path):
    run = scanned_demo(demo, tmp_path)
    report = tmp_path / "report.html"
    run("report", "--format", "html", "--out", str(report))
    html = report.read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", ""), "self-contained"
    assert "Demo BPO" in html and "granite-bank" in html and "reached end of support" in html
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    common = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              f"--user-data-dir={tmp_path / 'chromium'}"]
    shot = ARTIFACTS / "report-html.png"
    done = subprocess.run([*common, "--window-size=1280,2400", f"--screenshot={shot}", report.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000, done.stderr
    pdf = ARTIFACTS / "report.pdf"
    done = subprocess.run([*common, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert pdf.exists(), done.stderr
    pages = pdf.read_bytes().count(b"/Type /Page") - pdf.read_bytes().count(b"/Type /Pages")
    assert pages >= 12, f"a page per client after the summary: {pages} pages"
