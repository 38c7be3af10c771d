"""One measurement phase on one benchmark database, in a process of its own (bench/run.py starts
it with the database and a password in the environment):

    python -m bench.phase pages  --schools 20 --requests 30 --out pages.json
    python -m bench.phase writes --out writes.json

`pages` migrates and seeds the empty database, then times the pages and PDFs; `writes` times the
dispatcher and the import, which change the data, so it runs after everything else.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from time import perf_counter

PUPILS_PER_SCHOOL = 500


def run_pages(schools: int, requests: int) -> dict:
    from django.core.management import call_command

    from bench.generator import DEFAULT_SEED, generate
    from bench.measure import data_volume, time_baselines, time_pages, time_pdfs

    call_command("migrate", verbosity=0)
    stages: list[str] = []
    started = perf_counter()
    generate(
        schools=schools,
        pupils_per_school=PUPILS_PER_SCHOOL,
        seed=DEFAULT_SEED,
        password=os.environ["BENCH_PASSWORD"],
        report=stages.append,
    )
    seeded = perf_counter() - started
    pages, page_notes = time_pages(requests)
    pdfs, pdf_notes = time_pdfs()
    return {
        "seed": {"seconds": round(seeded, 1), "stages": stages},
        "rows": data_volume(),
        "pages": [asdict(timing) for timing in pages],
        "baselines": [asdict(timing) for timing in time_baselines(requests)],
        "pdfs": [asdict(timing) for timing in pdfs],
        "notes": page_notes + pdf_notes,
    }


def run_writes() -> dict:
    from bench.writes import time_dispatcher, time_import

    return {"dispatcher": time_dispatcher(), "import": time_import()}


def main() -> None:
    parser = argparse.ArgumentParser(description="One benchmark phase (bench/run.py runs them).")
    parser.add_argument("phase", choices=("pages", "writes"))
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()  # before the measuring modules import any model
    result = run_pages(args.schools, args.requests) if args.phase == "pages" else run_writes()
    with open(args.out, "w") as out:
        json.dump(result, out, indent=1)


if __name__ == "__main__":
    main()
