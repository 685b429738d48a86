"""Rich text and Markdown of the offers: what is included, and the conditions.

``details`` is rich text (HTML, sanitised on save), ``conditions`` Markdown.
Renders insert both as sanitised HTML into web and email HTML and as plain
text into the email's text part; delivery returns them as stored.
"""

from __future__ import annotations

from typing import Any

from seed.data._text import tr

OFFER_COPY: dict[str, dict[str, Any]] = {
    "spring-city-one": {
        "details": tr(
            "<p>Every City One ordered by 31 May comes with:</p>"
            "<ul><li>a <strong>frame lock</strong> with plug-in chain</li>"
            "<li>waterproof panniers (2 &times; 20&nbsp;l)</li>"
            "<li>a rain cape in your size</li></ul>",
            "<p>Zu jedem City One, bestellt bis 31. Mai:</p>"
            "<ul><li>ein <strong>Rahmenschloss</strong> mit Einsteckkette</li>"
            "<li>wasserdichte Packtaschen (2 &times; 20&nbsp;l)</li>"
            "<li>ein Regencape in Ihrer Größe</li></ul>",
        ),
        "conditions": tr(
            "Offer valid for orders placed by **31 May 2026**, while stocks last. "
            "Not combinable with other discounts. "
            "[Full conditions](https://voltaro.example/legal/spring-2026)",
            "Gültig für Bestellungen bis **31. Mai 2026**, solange der Vorrat "
            "reicht. Nicht mit anderen Rabatten kombinierbar. "
            "[Alle Bedingungen](https://voltaro.example/legal/spring-2026)",
        ),
    },
    "e5-launch-lease": {
        "details": tr(
            "<p>Your monthly rate includes:</p>"
            "<ol><li>servicing and wear parts</li><li>fully comprehensive "
            "insurance</li><li>an 11&nbsp;kW wallbox, installed</li></ol>",
            "<p>In Ihrer Monatsrate enthalten:</p>"
            "<ol><li>Wartung und Verschleißteile</li><li>Vollkaskoversicherung</li>"
            "<li>eine 11-kW-Wallbox samt Installation</li></ol>",
        ),
        "conditions": tr(
            "36 months, 10,000 km a year, *no down payment*. "
            "Example for private customers; subject to a credit check.",
            "36 Monate, 10.000 km im Jahr, *ohne Anzahlung*. "
            "Beispiel für Privatkunden; Bonität vorausgesetzt.",
        ),
    },
}
