# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""The seven guides and stories: the four guides of ``_guides``, two riders'
stories (a month without the car, the school run by cargo bike) and the
battery-care guide, in that order (the product pages are in ``_articles``)."""

from __future__ import annotations

from typing import Any

from seed.data._articles import article
from seed.data._guides import GUIDES
from seed.data._text import paragraphs, tr

STORIES: list[dict[str, Any]] = [
    *GUIDES,
    article(
        "commute-experiment",
        title=tr(
            "A month without the car: our commute experiment",
            "Einen Monat ohne Auto: unser Pendel-Experiment",
            nb="En måned uten bil: vårt pendlereksperiment",
            zh="一个月不开车：我们的通勤实验",
        ),
        summary=tr(
            "Four colleagues swapped the car for a City One for their daily "
            "commute. They saved money and time, and two of them never switched "
            "back.",
            "Vier Kolleginnen und Kollegen haben für den Arbeitsweg das Auto "
            "gegen ein City One getauscht. Sie haben Geld und Zeit gespart – und "
            "zwei sind nie zurückgewechselt.",
            nb="Fire kolleger byttet ut bilen med en City One på vei til jobben. "
            "De sparte penger og tid, og to av dem byttet aldri tilbake.",
        ),
        body=tr(
            paragraphs(
                "Commutes between 6 and 14 km, in Hamburg, Munich, Oslo and "
                "Cologne. In the first week, all four got to work faster than by "
                "car, mostly because they no longer had to look for a parking "
                "space.",
                "Over the month they rode 1,240 km together and saved about €310 "
                "on fuel and parking. The biggest surprise? How much better they "
                "slept.",
            ),
            paragraphs(
                "Arbeitswege zwischen 6 und 14 km, in Hamburg, München, Oslo und "
                "Köln. Schon in der ersten Woche waren alle vier schneller im "
                "Büro als mit dem Auto – vor allem, weil die Parkplatzsuche "
                "wegfiel.",
                "Im Lauf des Monats sind sie zusammen 1.240 km gefahren und "
                "haben rund 310 € für Sprit und Parken gespart. Die größte "
                "Überraschung? Wie viel besser sie geschlafen haben.",
            ),
            nb=paragraphs(
                "Arbeidsveier på mellom 6 og 14 km, i Hamburg, München, Oslo og "
                "Köln. Allerede den første uken kom alle fire raskere på jobb enn "
                "med bil – mest fordi de slapp å lete etter parkeringsplass.",
                "I løpet av måneden syklet de til sammen 1 240 km og sparte rundt "
                "310 € på drivstoff og parkering. Den største overraskelsen? Hvor "
                "mye bedre de sov.",
            ),
        ),
        path="/stories/commute-experiment",
        minutes=7,
        published="2026-06-01",
        image="commute",
        terms=["topic:city", "journey_stage:awareness", "campaign:summer-commute"],
    ),
    article(
        "school-run-cargo",
        title=tr(
            "The school run by cargo bike: a practical guide",
            "Mit dem Lastenrad zur Schule: ein praktischer Leitfaden",
            nb="Til skolen med lastesykkel: en praktisk guide",
            zh="骑货运自行车送孩子上学：实用指南",
        ),
        summary=tr(
            "Helmets, rain covers, the best route and where to leave the bike "
            "during the day: parents who ride the Cargo Max share what works.",
            "Helme, Regenverdeck, die beste Route und wohin mit dem Rad tagsüber: "
            "Eltern, die mit dem Cargo Max unterwegs sind, erzählen, was "
            "funktioniert.",
            nb="Hjelmer, regntrekk, den beste ruten og hvor du setter sykkelen "
            "om dagen: Foreldre som kjører Cargo Max, forteller hva som fungerer.",
        ),
        body=tr(
            paragraphs(
                "Plan the route once without the kids. Side streets with a "
                "little more distance are often calmer and barely slower than "
                "the main road.",
                "Keep the rain cover in the box from October to April, and let "
                "the children choose their own helmets: they will wear them "
                "without a discussion. Many schools let parents park the Cargo "
                "Max in the yard; if yours doesn't, ask. A cargo bike takes the "
                "space of a single car door.",
            ),
            paragraphs(
                "Fahren Sie die Strecke einmal ohne Kinder ab. Nebenstraßen mit "
                "etwas mehr Abstand sind oft ruhiger und kaum langsamer als die "
                "Hauptstraße.",
                "Lassen Sie das Regenverdeck von Oktober bis April in der Box, "
                "und lassen Sie die Kinder ihre Helme selbst aussuchen – dann "
                "tragen sie sie ohne Diskussion. Viele Schulen erlauben Eltern, "
                "das Cargo Max auf dem Hof abzustellen; wenn Ihre es nicht tut, "
                "fragen Sie nach. Ein Lastenrad braucht nicht mehr Platz als eine "
                "Autotür.",
            ),
        ),
        path="/guides/school-run",
        minutes=5,
        published="2026-04-13",
        image="cargo-family",
        terms=["topic:cargo", "journey_stage:consideration"],
    ),
    article(
        "battery-care",
        title=tr(
            "Make your e-bike battery last for years",
            "So hält Ihr E-Bike-Akku viele Jahre",
            nb="Slik varer elsykkelbatteriet i mange år",
            zh="让电动自行车电池多用几年",
            ar="كيف تطيل عمر بطارية دراجتك الكهربائية",
        ),
        summary=tr(
            "Store it between 30 and 60% charged, keep it away from frost and "
            "heat, and use the original charger. That's most of the secret.",
            "Lagern Sie ihn mit 30 bis 60 % Ladung, schützen Sie ihn vor Frost "
            "und Hitze und verwenden Sie das Originalladegerät. Das ist schon "
            "fast das ganze Geheimnis.",
            nb="Oppbevar det med 30–60 % lading, beskytt det mot frost og varme, "
            "og bruk originalladeren. Det er nesten hele hemmeligheten.",
            zh="以 30% 至 60% 的电量存放，避免严寒和高温，并使用原装充电器——"
            "秘诀大致就是这些。",
            ar="احفظها بشحن بين 30 و60٪، وأبعدها عن الصقيع والحرارة، واستخدم "
            "الشاحن الأصلي. هذا هو معظم السر.",
        ),
        body=tr(
            paragraphs(
                "Lithium-ion batteries age fastest when they sit full or empty "
                "for weeks. If you won't ride for a while, leave the battery at "
                "about half charge.",
                "Charge at room temperature, never straight after a winter ride, "
                "and keep the battery out of a hot car in summer. With this "
                "routine, a Voltaro battery keeps more than 80% of its capacity "
                "after 1,000 full charges.",
            ),
            paragraphs(
                "Lithium-Ionen-Akkus altern am schnellsten, wenn sie wochenlang "
                "voll oder leer herumliegen. Wenn Sie eine Weile nicht fahren, "
                "lassen Sie den Akku etwa halb geladen.",
                "Laden Sie bei Zimmertemperatur, nie direkt nach einer Winterfahrt, "
                "und lassen Sie den Akku im Sommer nicht im heißen Auto liegen. "
                "So behält ein Voltaro-Akku nach 1.000 vollen Ladungen mehr als "
                "80 % seiner Kapazität.",
            ),
            zh=paragraphs(
                "锂离子电池在满电或空电状态下闲置数周时老化最快。如果您一段时间"
                "不骑车，请让电池保持约一半电量。",
                "请在室温下充电，不要在冬季骑行后立即充电；夏天也不要把电池留在"
                "高温的车内。养成这些习惯，Voltaro 电池在 1000 次完整充电后仍能"
                "保持 80% 以上的容量。",
            ),
        ),
        path="/guides/battery-care",
        minutes=3,
        published="2026-05-04",
        image="battery",
        terms=["topic:e-bikes", "journey_stage:retention", "campaign:loyalty"],
    ),
]
