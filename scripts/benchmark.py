"""Benchmark this site against a stock Material site of the same text, in one run.

Prints one Markdown report: build time (median of --runs builds), bytes per page by kind
as transferred with gzip in Chromium, Lighthouse 12.2.3 mobile scores, and build time of
synthetic editions with 1x, 5x and 20x the predictions.

    .venv/bin/python scripts/benchmark.py [--runs 5] [--lighthouse-runs 1]

Needs what the browser tests need (Debian chromium, tests/node with `npm ci`).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
from opedcheck import load
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LIGHTHOUSE = ROOT / "tests" / "node" / "node_modules" / ".bin" / "lighthouse"
PAGES = ["", "arms-control/", "eastern-europe/", "cyber/", "energy/", "sanctions/", "full-text/", "method/",
         "sources/", "updates/", "data/"]
STOCK_LIGHTHOUSE_PAGES = PAGES[:6]  # stock is a yardstick; ours is measured on every page, item pages included
STOCK_CONFIG = """site_name: Op-ed forecast check (stock)
site_url: {site_url}
theme:
  name: material
markdown_extensions: [attr_list, md_in_html, tables, {{toc: {{permalink: true}}}}]
nav: {nav}
not_in_nav: |
  /p/
  /sources/
"""


# ---- Sites -----------------------------------------------------------------


def build(project: Path, site_dir: Path, config: str = "mkdocs.yml") -> float:
    """One real CLI build; returns wall-clock seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site_dir)],
                   cwd=project, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in ["mkdocs.yml", "docs", "hooks", "opedcheck", "overrides", "source", "templates"]:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, target / part)
    return target


def make_stock_site(target: Path, site_url: str) -> Path:
    """The same pages, as the generate stage writes them, built by stock `theme: material`."""
    from opedcheck import fragments, generate

    config = yaml.safe_load(re.sub(r"!ENV \[\w+, (\"[^\"]*\")\]", r"\1", (ROOT / "mkdocs.yml").read_text()))
    tree = generate.docs_tree(generate.Settings(root=ROOT, site_url=site_url, site_name=config["site_name"]))
    for name, content in tree.items():
        if name.endswith(".md"):  # the HTML our finish stage puts back, in place; stock Material indexes every word
            path = target / "docs" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            text = generate.FRONT_MATTER.sub("", content)
            text = fragments.decode(text)
            path.write_text(text.replace(" data-search-exclude", ""), encoding="utf-8")
    (target / "mkdocs.yml").write_text(STOCK_CONFIG.format(site_url=site_url, nav=json.dumps(config["nav"])))
    return target


def synthetic_edition(target: Path, factor: int) -> Path:
    """A copy in which every prediction and claim appears `factor` times. Clone k of an item quotes
    its own copy of the original sentence, appended to the article, with a marker [k] in each quote."""
    copy_project(target)
    source = target / "source"
    oped = (source / "op-ed.txt").read_text(encoding="utf-8")
    files = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in (source / "sections").glob("*.yml")}
    items = [item for data in files.values() for kind in ("predictions", "claims") for item in data.get(kind, [])]
    extra = []
    for k in range(2, factor + 1):
        sentences: dict[str, str] = {}
        for data in files.values():
            for kind in ("predictions", "claims"):
                for item in [i for i in data.get(kind, []) if "-x" not in i["id"]]:
                    clone = json.loads(json.dumps(item, default=str))
                    head, _, last = item["quote"].rpartition(" ")
                    clone["id"], clone["quote"] = f"{item['id']}-x{k}", f"{head} [{k}] {last}"
                    start = oped.index(item["quote"])
                    sentence = load._sentence_around(oped, start, start + len(item["quote"])).strip()
                    sentences[sentence] = sentences.get(sentence, sentence).replace(item["quote"], clone["quote"])
                    data[kind].append(clone)
        extra += sentences.values()
    for path, data in files.items():
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")
    (source / "op-ed.txt").write_text(oped + "".join(f"\n\n{sentence}" for sentence in extra), encoding="utf-8")
    assert len(items) * factor == sum(len(d.get(k, [])) for d in files.values() for k in ("predictions", "claims"))
    return target


# ---- Measuring -------------------------------------------------------------


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that gzips every response, as a production host would."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body) if self.command == "GET" else None
        return None

    def log_message(self, *args):
        pass


def serve(site: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def kind_of(url: str) -> str:
    if url.endswith("search_index.json"):
        return "index"
    for kind, pattern in (("html", r"(/|\.html)$"), ("css", r"\.css$"), ("js", r"\.js$")):
        if re.search(pattern, url.split("?")[0]):
            return kind
    return "other"


def page_weights(site: Path, pages: list[str]) -> dict[str, dict[str, int]]:
    """Bytes on the wire (gzip) per page and kind, first visit, from Chromium's responses."""
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    weights = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS[1:])
        for page_path in pages:
            context = browser.new_context()
            sizes = {"html": 0, "css": 0, "js": 0, "index": 0, "other": 0}
            outside = []
            context.on("response", lambda r: sizes.__setitem__(kind_of(r.url), sizes[kind_of(r.url)] + int(r.headers.get("content-length", 0)))
                       if r.url.startswith(base) else outside.append(r.url))
            page = context.new_page()
            page.goto(base + page_path, wait_until="networkidle")
            page.wait_for_timeout(1000)
            sizes["third-party requests"] = len(outside)
            weights[page_path or "/"] = sizes
            context.close()
        browser.close()
    httpd.shutdown()
    return weights


def lighthouse(site: Path, runs: int, pages: list[str]) -> dict[str, dict[str, float]]:
    httpd, base = serve(site)
    results = {}
    for page_path in pages:
        scores = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
                report = Path(out) / "report.json"
                subprocess.run([str(LIGHTHOUSE), base + page_path, "--quiet", "--output=json", f"--output-path={report}",
                                f"--chrome-flags={' '.join(FLAGS)} --user-data-dir={profile}"],
                               env={**ENV, "CHROME_PATH": CHROMIUM}, check=True, capture_output=True)
                data = json.loads(report.read_text())
            cats, audits = data["categories"], data["audits"]
            scores.append({"perf": cats["performance"]["score"] * 100, "a11y": cats["accessibility"]["score"] * 100,
                           "bp": cats["best-practices"]["score"] * 100, "seo": cats["seo"]["score"] * 100,
                           "FCP": audits["first-contentful-paint"]["numericValue"],
                           "LCP": audits["largest-contentful-paint"]["numericValue"],
                           "TBT": audits["total-blocking-time"]["numericValue"],
                           "CLS": audits["cumulative-layout-shift"]["numericValue"]})
        results[page_path or "/"] = {k: statistics.median(s[k] for s in scores) for k in scores[0]}
    httpd.shutdown()
    return results


# ---- Report ----------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per site for the median build time")
    parser.add_argument("--lighthouse-runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--skip-lighthouse", action="store_true")
    args = parser.parse_args()
    site_url = "http://127.0.0.1:8000/"

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ours = copy_project(tmp / "ours")
        data = load.load(ours / "source")
        items = data.items
        count = len(items)
        stock = make_stock_site(tmp / "stock", site_url)
        groups = sorted({source.file for source in data.sources.values()}) + (["retired"] if data.retired_sources else [])
        pages = PAGES + [f"sources/{group}/" for group in groups] + [f"p/{item.id}/" for item in items]
        times = {name: [build(project, tmp / f"site-{name}") for _ in range(args.runs)]
                 for name, project in (("ours", ours), ("stock", stock))}
        weights = {name: page_weights(tmp / f"site-{name}", pages) for name in ("ours", "stock")}
        cards = {path.name: path.stat().st_size for path in (tmp / "site-ours" / "cards").glob("*.png")}
        scores = {} if args.skip_lighthouse else {
            "ours": lighthouse(tmp / "site-ours", args.lighthouse_runs, pages),
            "stock": lighthouse(tmp / "site-stock", args.lighthouse_runs, STOCK_LIGHTHOUSE_PAGES)}
        scaling = {}
        for factor in (1, 5, 20):
            project = synthetic_edition(tmp / f"x{factor}", factor)
            scaling[factor] = statistics.median(build(project, tmp / f"site-x{factor}") for _ in range(3))

    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores\n")
    print("## Build time (wall clock, median of %d)\n" % args.runs)
    print("| site | median s | min s | max s |\n|---|--:|--:|--:|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} | {max(values):.3f} |")
    ratio = statistics.median(times["ours"]) / statistics.median(times["stock"])
    print(f"\nOurs / stock: {ratio:.2f}× (target ≤ 1.50×)\n")

    print("## Bytes per page, gzip, first visit (KiB)\n")
    print("| page | site | HTML | CSS | JS | search index | other | total | third-party requests |\n|---|---|--:|--:|--:|--:|--:|--:|--:|")
    totals = {"ours": 0, "stock": 0}
    for page in weights["ours"]:
        for name in ("ours", "stock"):
            w = weights[name][page]
            total = sum(w[k] for k in ("html", "css", "js", "index", "other"))
            totals[name] += total
            print(f"| {page} | {name} | " + " | ".join(f"{w[k] / 1024:.1f}" for k in ("html", "css", "js", "index", "other"))
                  + f" | {total / 1024:.1f} | {w['third-party requests']} |")
    print(f"\nAll pages: ours {totals['ours'] / 1024:.1f} KiB, stock {totals['stock'] / 1024:.1f} KiB "
          f"({totals['ours'] / totals['stock']:.2f}×; target ≤ 1.00×)\n")

    print(f"## Preview cards\n\n{len(cards)} cards, 1200×630 PNG: largest {max(cards.values()) / 1024:.1f} KiB "
          f"({max(cards, key=cards.get)}), median {statistics.median(cards.values()) / 1024:.1f} KiB (target ≤ 60 KB each)\n")

    if scores:
        print(f"## Lighthouse 12.2.3, mobile, gzip server (median of {args.lighthouse_runs})\n")
        print("| page | site | perf | a11y | best pr. | SEO | FCP ms | LCP ms | TBT ms | CLS |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
        for page in scores["ours"]:
            for name in ("ours", "stock"):
                if page not in scores[name]:
                    continue
                s = scores[name][page]
                print(f"| {page} | {name} | {s['perf']:.0f} | {s['a11y']:.0f} | {s['bp']:.0f} | {s['seo']:.0f} | "
                      f"{s['FCP']:.0f} | {s['LCP']:.0f} | {s['TBT']:.0f} | {s['CLS']:.3f} |")
        ours = scores["ours"].values()
        print(f"\nOurs on all {len(scores['ours'])} pages: perf {min(s['perf'] for s in ours):.0f}–{max(s['perf'] for s in ours):.0f}, "
              f"a11y min {min(s['a11y'] for s in ours):.0f}, best practices min {min(s['bp'] for s in ours):.0f}, "
              f"SEO min {min(s['seo'] for s in ours):.0f}. Targets: perf ≥ 98, a11y 100, best practices 100, SEO 100.\n")

    print("## Scaling: synthetic editions (median of 3 builds)\n")
    print("| predictions and claims | build s | × the 1× build |\n|--:|--:|--:|")
    base = scaling[1]
    for factor, seconds in scaling.items():
        print(f"| {count * factor} ({factor}×) | {seconds:.3f} | {seconds / base:.2f} |")
    print("\nTarget: 20× the items in less than 20× the time.")


if __name__ == "__main__":
    main()
