"""Decisions per second of ``variants.decide`` on one core.

The entry has a personalise rule (an audience over segments and attributes),
an experiment rule in a namespace with a targeting condition, and the baseline
as default; customers carry 10 attributes and a UUID id, each customer is new
to the hash code (no caches of customer data). Run:

    .venv/bin/python bench/bench_variants.py
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections import Counter

from variants import (
    Audience,
    Customer,
    ExperimentRule,
    Namespace,
    PersonaliseRule,
    RuleSet,
    compile_ruleset,
    decide,
)

COUNTRIES = ["US", "DE", "FR", "GB", "JP", "BR", "IN", "ES"]
PLANS = ["free", "basic", "pro", "enterprise"]
SEGMENTS = ["vip", "cart_abandoner", "newsletter", "churn_risk", "new"]


def build() -> tuple[RuleSet, dict[str, Audience]]:
    audiences = {
        "vip": Audience(
            key="vip",
            condition={"segments": "vip", "plan": {"$in": ["pro", "enterprise"]}},
        )
    }
    ruleset = RuleSet(
        key="homepage-hero",
        baseline="control",
        variants=["vip_offer", "bold", "minimal"],
        rules=[
            PersonaliseRule(id="vip", audiences=("vip",), variant="vip_offer"),
            ExperimentRule(
                id="hero-test",
                key="hero-test",
                variations=["control", "bold", "minimal"],
                weights=[0.34, 0.33, 0.33],
                namespace=Namespace("homepage", 0.0, 0.6),
                condition={
                    "country": {"$in": ["US", "DE", "FR", "GB"]},
                    "age": {"$gte": 18},
                },
            ),
        ],
    )
    return ruleset, audiences


def customers(n: int, rng: random.Random) -> list[Customer]:
    out = []
    for _ in range(n):
        attrs = {
            "country": rng.choice(COUNTRIES),
            "plan": rng.choice(PLANS),
            "age": rng.randint(12, 80),
            "language": rng.choice(["en", "de", "fr"]),
            "device": rng.choice(["ios", "android", "web"]),
            "app_version": f"{rng.randint(1, 5)}.{rng.randint(0, 20)}.0",
            "lifetime_value": round(rng.uniform(0, 5000), 2),
            "orders": rng.randint(0, 40),
            "newsletter": rng.random() < 0.5,
            "city": rng.choice(["Berlin", "Paris", "NYC", "Tokyo"]),
        }
        segs = [s for s in SEGMENTS if rng.random() < 0.25]
        out.append(
            Customer(
                id=str(uuid.UUID(int=rng.getrandbits(128))),
                attributes=attrs,
                segments=segs,
            )
        )
    return out


def main() -> None:
    rng = random.Random(42)
    ruleset, audiences = build()
    compiled = compile_ruleset(ruleset, audiences)
    pool = customers(ROUND * ROUNDS, rng)
    for c in pool[:1000]:  # warm-up
        decide(compiled, c)
    outcomes: Counter[str] = Counter()
    rates = []
    for r in range(ROUNDS):
        batch = pool[r * ROUND : (r + 1) * ROUND]
        start = time.process_time()  # CPU time of this process: robust to load
        for c in batch:
            decide(compiled, c)
        rates.append(len(batch) / (time.process_time() - start))
    for c in pool[:ROUND]:
        outcomes[decide(compiled, c).rule_id or "default"] += 1
    best, median = max(rates), statistics.median(rates)
    print(
        f"decide(): {best:,.0f} decisions/s on one core (best of {ROUNDS} rounds of "
        f"{ROUND:,} distinct customers; median {median:,.0f}/s, "
        f"{1e6 / best:.2f} us per decision)"
    )
    print("outcomes:", dict(outcomes))


ROUND = 20_000
ROUNDS = 7

if __name__ == "__main__":
    main()
