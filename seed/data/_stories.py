# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""Seven articles: guides and stories (the product pages are in
``_articles``)."""

from __future__ import annotations

from typing import Any

from seed.data._articles import article
from seed.data._text import paragraphs, tr

STORIES: list[dict[str, Any]] = [
    article(
        "financing-explained",
        title=tr(
            "Lease, finance or buy? How to pay for your Voltaro",
            "Leasen, finanzieren oder kaufen? So bezahlen Sie Ihren Voltaro",
            nb="Lease, finansiere eller kjøpe? Slik betaler du for din Voltaro",
            zh="租赁、分期还是全款？Voltaro 付款方式一览",
        ),
        summary=tr(
            "Three ways to get on a Voltaro, compared in plain words: what you "
            "pay each month, what happens at the end and who looks after "
            "servicing.",
            "Drei Wege zu Ihrem Voltaro, verständlich verglichen: was Sie "
            "monatlich zahlen, was am Ende passiert und wer sich um die Wartung "
            "kümmert.",
            nb="Tre måter å få en Voltaro på, forklart enkelt: hva du betaler "
            "hver måned, hva som skjer til slutt, og hvem som tar seg av service.",
            zh="用浅显的语言比较三种方式：每月支付多少、到期后如何处理，以及"
            "由谁负责保养。",
        ),
        body=tr(
            paragraphs(
                "Buying is the simplest: you pay once, the vehicle is yours, and "
                "you can sell it whenever you like.",
                "Financing spreads the price over 12 to 60 months at a fixed "
                "rate. At the end, the vehicle is yours.",
                "Leasing gives you the lowest monthly rate. Servicing and "
                "insurance can be included, and after the term you return the "
                "vehicle or switch to a new model. Many employers in Germany also "
                "offer bike leasing through salary sacrifice, which makes a City "
                "One or a Cargo Max noticeably cheaper.",
            ),
            paragraphs(
                "Kaufen ist am einfachsten: Sie zahlen einmal, das Fahrzeug "
                "gehört Ihnen, und Sie können es jederzeit verkaufen.",
                "Bei der Finanzierung verteilen Sie den Preis zu einem festen "
                "Zinssatz auf 12 bis 60 Monate. Am Ende gehört das Fahrzeug Ihnen.",
                "Leasing bietet die niedrigste Monatsrate. Wartung und "
                "Versicherung können inklusive sein, und nach der Laufzeit geben "
                "Sie das Fahrzeug zurück oder steigen auf ein neues Modell um. "
                "Viele Arbeitgeber bieten außerdem Dienstradleasing per "
                "Gehaltsumwandlung an – damit werden City One und Cargo Max "
                "spürbar günstiger.",
            ),
            nb=paragraphs(
                "Å kjøpe er enklest: Du betaler én gang, kjøretøyet er ditt, og "
                "du kan selge det når du vil.",
                "Med finansiering fordeler du prisen over 12 til 60 måneder med "
                "fast rente. Til slutt er kjøretøyet ditt.",
                "Leasing gir lavest månedspris. Service og forsikring kan være "
                "inkludert, og etter perioden leverer du kjøretøyet tilbake eller "
                "bytter til en ny modell.",
            ),
        ),
        path="/financing",
        minutes=6,
        published="2026-02-02",
        image="showroom",
        terms=["topic:financing", "journey_stage:purchase"],
    ),
    article(
        "voltaro-care",
        title=tr(
            "Voltaro Care: the workshop that comes to you",
            "Voltaro Care: die Werkstatt, die zu Ihnen kommt",
            nb="Voltaro Care: verkstedet som kommer til deg",
            zh="Voltaro Care：上门服务的移动工坊",
            ar="Voltaro Care: الورشة التي تأتي إليك",
        ),
        summary=tr(
            "Book a service in the app and a mechanic comes to your home or "
            "office with everything needed, usually within three working days.",
            "Buchen Sie eine Inspektion in der App, und ein Mechaniker kommt mit "
            "allem Nötigen zu Ihnen nach Hause oder ins Büro – meist innerhalb "
            "von drei Werktagen.",
            nb="Bestill service i appen, så kommer en mekaniker hjem til deg "
            "eller på jobben med alt som trengs, vanligvis innen tre virkedager.",
            zh="在应用中预约保养，技师会携带所需的一切上门到您家中或办公室，"
            "通常在三个工作日内。",
            ar="احجز موعد صيانة عبر التطبيق، وسيأتيك فني إلى منزلك أو مكتبك "
            "ومعه كل ما يلزم، عادةً خلال ثلاثة أيام عمل.",
        ),
        body=tr(
            paragraphs(
                "Our mobile workshops carry spare parts for every Voltaro e-bike. "
                "For cars, they change tyres and brake pads and install software "
                "updates on the spot.",
                "The first service after 500 km is free. After that, the yearly "
                "check has a fixed price, and every job and every part shows up "
                "in the service history in your app.",
            ),
            paragraphs(
                "Unsere mobilen Werkstätten haben Ersatzteile für jedes "
                "Voltaro-E-Bike an Bord. Bei Autos wechseln sie Reifen und "
                "Bremsbeläge und spielen Software-Updates direkt vor Ort auf.",
                "Die erste Inspektion nach 500 km ist kostenlos. Danach hat der "
                "jährliche Check einen Festpreis, und jede Arbeit und jedes "
                "Ersatzteil erscheint in der Servicehistorie Ihrer App.",
            ),
            nb=paragraphs(
                "De mobile verkstedene våre har reservedeler til alle Voltaros "
                "elsykler. For biler bytter de dekk og bremseklosser og "
                "installerer programvareoppdateringer på stedet.",
                "Den første servicen etter 500 km er gratis. Deretter har den "
                "årlige sjekken fast pris, og alt arbeid og alle deler vises i "
                "servicehistorikken i appen.",
            ),
            zh=paragraphs(
                "我们的移动工坊随车备有所有 Voltaro 电动自行车的零配件；对于汽车，"
                "技师可在现场更换轮胎和刹车片，并安装软件更新。",
                "行驶 500 公里后的首次保养免费。此后的年度检查采用固定价格，所有"
                "工单和零件都会记录在应用的保养历史中。",
            ),
        ),
        path="/service",
        minutes=3,
        published="2026-01-12",
        image="workshop",
        terms=["topic:services", "journey_stage:retention"],
    ),
    article(
        "e-bike-range",
        title=tr(
            "How far does an e-bike really go?",
            "Wie weit kommt ein E-Bike wirklich?",
            nb="Hvor langt kommer du egentlig med elsykkel?",
            zh="电动自行车究竟能骑多远？",
            ar="ما المسافة التي تقطعها الدراجة الكهربائية فعلًا؟",
        ),
        summary=tr(
            "Range figures depend on more than the battery. Here is what really "
            "matters: assistance level, tyre pressure, temperature, and you.",
            "Die Reichweite hängt nicht nur vom Akku ab. Worauf es wirklich "
            "ankommt: Unterstützungsstufe, Reifendruck, Temperatur – und Sie "
            "selbst.",
            nb="Rekkevidden avhenger av mer enn batteriet. Dette er det som "
            "virkelig betyr noe: assistansenivå, dekktrykk, temperatur – og deg.",
            zh="续航不只取决于电池。真正重要的是：助力档位、胎压、气温，还有您自己。",
            ar="لا يعتمد المدى على البطارية وحدها. إليك ما يهم فعلًا: مستوى "
            "المساعدة وضغط الإطارات ودرجة الحرارة، وأنت.",
        ),
        body=tr(
            paragraphs(
                "The same 500 Wh battery can take you 40 km or 120 km. The "
                "biggest factor is the assistance level: riding in Eco instead "
                "of Boost roughly doubles your range.",
                "Keep your tyres at the pressure printed on the sidewall, because "
                "soft tyres can cost a tenth of your range. In winter, store the "
                "battery indoors and fit it just before you ride: a cold battery "
                "delivers less energy.",
                "And finally, pedal: the motor adds to your effort, it does not "
                "replace it.",
            ),
            paragraphs(
                "Mit demselben 500-Wh-Akku kommen Sie 40 km weit – oder 120 km. "
                "Den größten Einfluss hat die Unterstützungsstufe: Wer im Eco- "
                "statt im Boost-Modus fährt, verdoppelt seine Reichweite ungefähr.",
                "Halten Sie den Reifendruck auf dem Wert, der auf der Reifenflanke "
                "steht, denn zu weiche Reifen kosten bis zu einem Zehntel der "
                "Reichweite. Lagern Sie den Akku im Winter drinnen und setzen Sie "
                "ihn erst kurz vor der Fahrt ein: Ein kalter Akku gibt weniger "
                "Energie ab.",
                "Und schließlich: Treten Sie mit. Der Motor verstärkt Ihre Kraft, "
                "er ersetzt sie nicht.",
            ),
            nb=paragraphs(
                "Det samme batteriet på 500 Wh kan ta deg 40 km eller 120 km. "
                "Den viktigste faktoren er assistansenivået: Kjører du i Eco i "
                "stedet for Boost, dobler du omtrent rekkevidden.",
                "Hold dekktrykket på verdien som står på dekksiden, for myke dekk "
                "kan koste en tidel av rekkevidden. Om vinteren bør batteriet "
                "oppbevares innendørs og settes på rett før du sykler: Et kaldt "
                "batteri gir mindre energi.",
                "Og til slutt: tråkk. Motoren forsterker innsatsen din, den "
                "erstatter den ikke.",
            ),
            zh=paragraphs(
                "同样一块 500 瓦时的电池，可能只够骑 40 公里，也可能骑上 120 "
                "公里。影响最大的是助力档位：用 Eco 档代替 Boost 档，续航大约能"
                "翻一倍。",
                "请按轮胎侧面标注的数值保持胎压，胎压不足可能损失十分之一的续航。"
                "冬季请将电池存放在室内，出发前再装上：低温电池释放的能量更少。",
                "最后，记得踩踏：电机是为您助力，而不是替代您。",
            ),
        ),
        path="/guides/e-bike-range",
        minutes=4,
        published="2026-02-23",
        image="spring-ride",
        terms=["topic:e-bikes", "journey_stage:awareness", "campaign:spring-2026"],
    ),
    article(
        "e5-winter-charging",
        title=tr(
            "Charging your E5 in winter: five habits that help",
            "Den E5 im Winter laden: fünf Gewohnheiten, die helfen",
            nb="Lading av E5 om vinteren: fem gode vaner",
            zh="冬季为 E5 充电：五个好习惯",
        ),
        summary=tr(
            "Cold batteries charge more slowly. Precondition on the way, plug in "
            "when you get home and heat the cabin from the grid, not from the "
            "battery.",
            "Kalte Akkus laden langsamer. Konditionieren Sie unterwegs vor, "
            "stecken Sie zu Hause gleich ein und heizen Sie den Innenraum mit "
            "Netzstrom statt aus dem Akku.",
            nb="Kalde batterier lader saktere. Forvarm batteriet på vei til "
            "laderen, koble til når du kommer hjem, og varm opp kupeen med strøm "
            "fra nettet, ikke fra batteriet.",
            zh="低温电池充电较慢。途中提前预热电池，到家立即插电，并用电网电力"
            "而不是电池为车内供暖。",
        ),
        body=tr(
            paragraphs(
                "1. Set the fast charger as your destination in the navigation: "
                "the E5 warms its battery on the way and charges at full speed "
                "when you arrive.",
                "2. Plug in at home as soon as you park, even if the battery is "
                "half full. A battery that is charging stays warm.",
                "3. Set your departure time in the app. The E5 heats the cabin "
                "from the grid while it is still plugged in.",
                "4. Use the seat and steering wheel heating: they need far less "
                "energy than heating the air.",
                "5. For everyday driving, keep the charge between 20 and 80%, and "
                "charge to 100% only before long trips.",
            ),
            paragraphs(
                "1. Wählen Sie den Schnelllader in der Navigation als Ziel: Der "
                "E5 wärmt seinen Akku unterwegs vor und lädt bei der Ankunft mit "
                "voller Leistung.",
                "2. Stecken Sie zu Hause gleich nach dem Parken ein, auch wenn "
                "der Akku noch halb voll ist. Ein Akku, der lädt, bleibt warm.",
                "3. Stellen Sie Ihre Abfahrtszeit in der App ein. Der E5 heizt "
                "den Innenraum mit Netzstrom, solange er noch angeschlossen ist.",
                "4. Nutzen Sie Sitz- und Lenkradheizung: Sie brauchen viel "
                "weniger Energie, als die Luft zu heizen.",
                "5. Halten Sie den Ladestand im Alltag zwischen 20 und 80 % und "
                "laden Sie nur vor langen Fahrten auf 100 %.",
            ),
        ),
        path="/guides/e5-winter-charging",
        minutes=4,
        published="2026-01-05",
        image="e5-charging",
        terms=["topic:electric", "journey_stage:retention"],
    ),
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
