# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""Four guides to owning an e-bike: financing, the care plan, range and
winter charging (the riders' stories are in ``_stories``)."""

from __future__ import annotations

from typing import Any

from seed.data._articles import article
from seed.data._text import paragraphs, tr

GUIDES: list[dict[str, Any]] = [
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
]
