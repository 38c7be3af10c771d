"""Fill an empty database with a trust's worth of fictional data for the benchmarks (bench/)."""

from __future__ import annotations

import secrets
from time import perf_counter

from django.core.management.base import BaseCommand, CommandError

from apcase.models import School
from bench.generator import DEFAULT_SEED, generate
from bench.generator.people import MIN_PUPILS_PER_SCHOOL


class Command(BaseCommand):
    help = (
        "Generate fictional schools, staff, pupils and cases at scale into an empty, migrated database "
        "(for benchmarks; see bench/README.md). Staff are sendco01, head01 … one per role per school."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=20)
        parser.add_argument("--pupils-per-school", type=int, default=500)
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="The same seed on the same day gives the same data."
        )
        parser.add_argument("--password", help="Password for every generated user (made up and printed if omitted).")

    def handle(self, *args, schools, pupils_per_school, seed, password, **options):
        if schools < 1:
            raise CommandError("Give at least one school.")
        if pupils_per_school < MIN_PUPILS_PER_SCHOOL:
            raise CommandError(f"Give each school at least {MIN_PUPILS_PER_SCHOOL} pupils, so every status has one.")
        if School.objects.exists():
            raise CommandError(
                "This database already has schools. seed_bench fills an empty, freshly migrated database: "
                "point DATABASE_URL at a new one (bench/run.py makes its own)."
            )
        password = password or secrets.token_urlsafe(12)
        started = perf_counter()
        generate(
            schools=schools, pupils_per_school=pupils_per_school, seed=seed, password=password, report=self.stdout.write
        )
        self.stdout.write(self.style.SUCCESS(f"Generated in {perf_counter() - started:.1f} s."))
        self.stdout.write(f"Sign in as sendco01, head01, dsl01, office01 … with the password {password}")
