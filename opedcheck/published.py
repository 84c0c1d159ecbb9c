"""What the site publishes besides pages: open data files and JSON-LD ClaimReview markup."""

from __future__ import annotations

import csv
import io
import json

from .model import Edition, Item

SCALE_NAMES = {"prediction": "Prediction verdict scale", "claim": "Claim rating scale"}


def permalink(item: Item, site_url: str) -> str:
    return f"{site_url}{item.section.url}#{item.id}"


def _common(data: Edition, item: Item, site_url: str) -> dict:
    level = data.scale(item)[item.verdict]
    return {
        "id": item.id,
        "section": item.section.id,
        "permalink": permalink(item, site_url),
        "page": f"{site_url}{item.url}",
        "title": item.title,
        "quote": item.quote,
        "paragraph": item.paragraph,
        "verdict": item.verdict,
        "verdict_label": level.label,
        "verdict_date": item.history[-1].date.text,
        "reviewed": data.reviewed.text,
        "evidence_through": item.section.evidence_through.text,
        "note": item.note,
        "history": [{"date": c.date.text, "verdict": c.verdict, "reason": c.reason} for c in item.history],
        "evidence": [{"date": e.date.text, "text": e.text, "sources": [s.id for s in e.sources],
                      "citations": [{"source": c.source.id, "locators": c.locators, "url": c.href} for c in e.citations]}
                     for e in item.evidence],
        "other_reading": _other_reading(item.other_reading),
        "source_ids": sorted({s.id for e in item.evidence for s in e.sources} | {c.source.id for c in item.other_reading.citations}),
    }


def _other_reading(reading) -> dict:
    """The strongest case for a different verdict, as published."""
    return {"date": reading.date.text, "points_to": reading.points_to, "text": reading.text,
            "citations": [{"source": c.source.id, "locators": c.locators, "url": c.href} for c in reading.citations],
            "searched": reading.searched}


def prediction_record(data: Edition, item: Item, site_url: str) -> dict:
    record = _common(data, item, site_url)
    record.update({
        "hedge": item.hedge.words,
        "probability": item.hedge.point,
        "probability_low": item.hedge.low,
        "probability_high": item.hedge.high,
        "statement": item.statement,
        "window": item.criteria["window"],
        "criteria_came_true": item.criteria["came_true"],
        "criteria_partly": item.criteria["partly"],
        "criteria_not_borne_out": item.criteria["not_borne_out"],
        "criteria_evidence": item.criteria["evidence"],
        "criteria_settle": item.criteria.get("settle", ""),
    })
    return record


def source_record(source) -> dict:
    return {"id": source.id, "publisher": source.publisher, "via": source.via or "", "title": source.title,
            "headline": source.headline, "date": source.date.text if source.date else "", "url": source.url,
            "kind": source.kind, "accessed": source.accessed.text if source.accessed else "",
            "archived": source.archived or "", "cited_by": source.cited_by}


def _csv_text(records: list[dict]) -> str:
    """One row per record; list and dict fields are written as JSON text."""
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(handle, fieldnames=list(records[0]))
    writer.writeheader()
    for record in records:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                         for k, v in record.items()})
    return handle.getvalue()


def data_files(data: Edition, site_url: str) -> dict[str, str]:
    """The downloadable files, by name: predictions, claims and sources as JSON and CSV."""
    tables = {
        "predictions": [prediction_record(data, item, site_url) for item in data.predictions],
        "claims": [_common(data, item, site_url) for item in data.claims],
        "sources": [source_record(source) for source in data.sources.values()],
    }
    files = {}
    for name, records in tables.items():
        files[f"{name}.json"] = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
        files[f"{name}.csv"] = _csv_text(records)
    return files


def claim_review(data: Edition, item: Item, site_url: str, site_name: str) -> dict:
    """A schema.org ClaimReview for one prediction or claim."""
    level = data.scale(item)[item.verdict]
    rating = {"@type": "Rating", "alternateName": level.label, "name": SCALE_NAMES[item.kind]}
    if level.rating is not None:
        rating.update(ratingValue=level.rating, bestRating=5, worstRating=1)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": permalink(item, site_url),
        "claimReviewed": item.quote,
        "datePublished": item.history[-1].date.text,
        "dateModified": data.reviewed.text,
        "author": {"@type": "Organization", "name": site_name, "url": site_url},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": data.author},
            "appearance": [{"@type": "CreativeWork", "url": a["url"]} for a in data.appearances],
        },
        "reviewRating": rating,
    }


def json_ld(data: Edition, page_url: str, site_url: str, site_name: str) -> str | None:
    """The JSON-LD for a page: ClaimReviews for the items it holds (one on an item page), else nothing."""
    if page_url.startswith("p/"):
        item = next((item for item in data.items if page_url == item.url), None)
        if item is None:
            return None
        reviews = claim_review(data, item, site_url, site_name)
        reviews["url"] = f"{site_url}{page_url}"
    else:
        section = data.sections.get(page_url.strip("/") or "overall")
        if section is None:
            return None
        reviews = [claim_review(data, item, site_url, site_name) for item in section.items]
    text = json.dumps(reviews, ensure_ascii=False)
    return text.replace("<", "\\u003c")  # never close the <script> early
