# ruff: noqa: RUF001  (Chinese punctuation is full-width on purpose)
"""Ten onboarding tips: the first weeks with a City One, an E5 or a Cargo Max."""

from __future__ import annotations

from typing import Any

from seed.data._text import Localised, tr


def tip(
    key: str,
    *,
    title: Localised,
    body: Localised,
    step: int,
    deep_link: str,
    terms: list[str],
    cta_label: Localised | None = None,
    image: str | None = None,
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": title,
        "body": body,
        "step": step,
        "deep_link": f"voltaro://{deep_link}",
    }
    if cta_label is not None:
        fields["cta_label"] = cta_label
    if image is not None:
        fields["image"] = f"@media:{image}"
    return {"type": "onboarding_tip", "key": key, "fields": fields, "terms": terms}


TIPS: list[dict[str, Any]] = [
    tip(
        "city-one-first-charge",
        title=tr(
            "Charge fully before your first ride",
            "Vor der ersten Fahrt vollständig laden",
            nb="Lad helt opp før første tur",
            zh="首次骑行前请充满电",
            ar="اشحن البطارية بالكامل قبل أول رحلة",
        ),
        body=tr(
            "Give the battery **one full charge** before you set off; it takes about "
            "four hours and the charger light turns green when it's done. After "
            "that, top up whenever you like.",
            "Laden Sie den Akku vor der ersten Fahrt **einmal vollständig**; das "
            "dauert etwa vier Stunden, und die Leuchte am Ladegerät wird grün. "
            "Danach können Sie jederzeit nachladen.",
            nb="Lad batteriet helt opp én gang før du drar; det tar rundt fire "
            "timer, og lampen på laderen blir grønn når det er ferdig. Etter det "
            "kan du lade når du vil.",
            zh="出发前请先将电池完整充电一次，约需四小时，充电器指示灯变绿即"
            "表示充满。之后可随时补电。",
            ar="اشحن البطارية شحنًا كاملًا مرة واحدة قبل الانطلاق، ويستغرق ذلك "
            "نحو أربع ساعات ويتحول ضوء الشاحن إلى الأخضر عند اكتماله. بعد ذلك "
            "اشحنها متى شئت.",
        ),
        step=1,
        deep_link="bike/battery",
        cta_label=tr(
            "Check the battery",
            "Akku prüfen",
            nb="Sjekk batteriet",
            zh="查看电池",
            ar="تحقق من البطارية",
        ),
        image="battery",
        terms=["topic:city", "journey_stage:onboarding"],
    ),
    tip(
        "city-one-pair-app",
        title=tr(
            "Pair your City One with the app",
            "Verbinden Sie Ihr City One mit der App",
            nb="Koble City One til appen",
            zh="将 City One 与应用配对",
        ),
        body=tr(
            "Open the Voltaro app, tap *Add bike* and hold your phone near the "
            "display. Pairing unlocks:\n\n- ride statistics\n- theft alerts\n"
            "- over-the-air updates",
            "Öffnen Sie die Voltaro-App, tippen Sie auf „Rad hinzufügen“ und "
            "halten Sie Ihr Smartphone an das Display. Danach sehen Sie "
            "Fahrtstatistiken und erhalten Diebstahlwarnungen und Updates.",
            nb="Åpne Voltaro-appen, trykk på «Legg til sykkel» og hold telefonen "
            "nær skjermen. Da får du turstatistikk, tyverivarsler og trådløse "
            "oppdateringer.",
            zh="打开 Voltaro 应用，点击“添加车辆”，将手机靠近车把显示屏。配对后"
            "即可查看骑行统计、接收防盗提醒并获取无线升级。",
        ),
        step=2,
        deep_link="settings/pair",
        cta_label=tr(
            "Pair now",
            "Jetzt verbinden",
            nb="Koble til nå",
            zh="立即配对",
        ),
        image="app-pairing",
        terms=["topic:city", "journey_stage:onboarding"],
    ),
    tip(
        "city-one-assist-modes",
        title=tr(
            "Find the right assist mode",
            "Die passende Unterstützungsstufe finden",
            nb="Finn riktig assistansenivå",
            zh="选择合适的助力模式",
        ),
        body=tr(
            "Eco for flat streets and maximum range, Tour for everyday riding, "
            "Boost for hills and headwinds. Switch with the plus and minus "
            "buttons on the left grip.",
            "Eco für flache Strecken und maximale Reichweite, Tour für den "
            "Alltag, Boost für Steigungen und Gegenwind. Umschalten können Sie "
            "mit Plus und Minus am linken Griff.",
            nb="Eco for flate gater og maksimal rekkevidde, Tour til hverdags, "
            "Boost for bakker og motvind. Bytt med pluss- og minusknappene ved "
            "venstre håndtak.",
        ),
        step=3,
        deep_link="bike/modes",
        terms=["topic:city", "journey_stage:onboarding"],
    ),
    tip(
        "free-first-service",
        title=tr(
            "Book your free first service at 500 km",
            "Kostenlose Erstinspektion nach 500 km buchen",
            nb="Bestill gratis førsteservice etter 500 km",
            zh="骑行 500 公里后预约免费首保",
            ar="احجز صيانتك الأولى المجانية بعد 500 كم",
        ),
        body=tr(
            "New cables stretch and spokes settle in the first weeks. At 500 km "
            "the app reminds you to book a free check: a mechanic comes to you, "
            "and it takes about 30 minutes.",
            "In den ersten Wochen längen sich die Züge und die Speichen setzen "
            "sich. Bei 500 km erinnert Sie die App an die kostenlose "
            "Erstinspektion: Ein Mechaniker kommt zu Ihnen, Dauer etwa 30 "
            "Minuten.",
            nb="De første ukene strekker kablene seg og eikene setter seg. Ved "
            "500 km minner appen deg på å bestille en gratis sjekk: En mekaniker "
            "kommer til deg, og det tar rundt 30 minutter.",
            zh="新车的拉线会伸长，辐条也会逐渐定型。骑行到 500 公里时，应用会"
            "提醒您预约免费检查：技师上门，约 30 分钟即可完成。",
            ar="في الأسابيع الأولى تتمدد الكابلات الجديدة وتستقر الأسلاك. عند "
            "500 كم يذكّرك التطبيق بحجز فحص مجاني: يأتيك فني ويستغرق الأمر نحو "
            "30 دقيقة.",
        ),
        step=4,
        deep_link="service/book",
        cta_label=tr(
            "Book the service",
            "Inspektion buchen",
            nb="Bestill service",
            zh="预约保养",
            ar="احجز الصيانة",
        ),
        image="workshop",
        terms=["topic:services", "journey_stage:onboarding"],
    ),
    tip(
        "lock-and-register",
        title=tr(
            "Lock it, register it, insure it",
            "Abschließen, registrieren, versichern",
            nb="Lås, registrer og forsikre",
        ),
        body=tr(
            "Always lock the frame to something fixed. Register the frame number "
            "in the app: if your bike is stolen, you report it in one tap and "
            "see its last known position.",
            "Schließen Sie den Rahmen immer an etwas Festem an. Registrieren Sie "
            "die Rahmennummer in der App: Wird Ihr Rad gestohlen, melden Sie es "
            "mit einem Fingertipp und sehen seine letzte Position.",
        ),
        step=5,
        deep_link="bike/security",
        terms=["topic:e-bikes", "journey_stage:onboarding"],
    ),
    tip(
        "e5-home-charging",
        title=tr(
            "Set up charging at home",
            "Laden zu Hause einrichten",
            nb="Sett opp lading hjemme",
            zh="设置家用充电",
            ar="جهّز الشحن في المنزل",
        ),
        body=tr(
            "Your wallbox is installed and ready. Set a charging window in the "
            "app, for example from 11 pm to 6 am, to charge when electricity is "
            "cheapest.",
            "Ihre Wallbox ist installiert und einsatzbereit. Legen Sie in der "
            "App ein Ladefenster fest, etwa von 23 bis 6 Uhr, damit Sie laden, "
            "wenn der Strom am günstigsten ist.",
            nb="Hjemmeladeren er installert og klar. Velg et ladevindu i appen, "
            "for eksempel fra kl. 23 til 06, så lader du når strømmen er "
            "billigst.",
            zh="您的壁挂充电桩已安装就绪。在应用中设置充电时段（例如晚上 11 点"
            "至早上 6 点），在电价最低时充电。",
            ar="شاحنك المنزلي مركّب وجاهز. حدّد في التطبيق فترة للشحن، مثلًا من "
            "11 مساءً حتى 6 صباحًا، لتشحن حين تكون الكهرباء أرخص.",
        ),
        step=1,
        deep_link="car/charging",
        cta_label=tr(
            "Set charging times",
            "Ladezeiten festlegen",
            nb="Velg ladetider",
            zh="设置充电时段",
            ar="حدّد أوقات الشحن",
        ),
        image="e5-charging",
        terms=["topic:electric", "journey_stage:onboarding"],
    ),
    tip(
        "e5-preconditioning",
        title=tr(
            "Warm up or cool down before you go",
            "Vor der Fahrt vorheizen oder kühlen",
            nb="Forvarm eller kjøl ned før du kjører",
            zh="出发前预热或预冷车内",
        ),
        body=tr(
            "Set your departure time and the E5 brings the cabin to 21 °C while "
            "it is still plugged in, so you start with a full battery and clear "
            "windows.",
            "Stellen Sie Ihre Abfahrtszeit ein, und der E5 bringt den Innenraum "
            "auf 21 °C, solange er noch am Netz hängt. So starten Sie mit vollem "
            "Akku und freien Scheiben.",
            nb="Velg avreisetid, så varmer E5 opp kupeen til 21 °C mens den "
            "fortsatt er koblet til. Da starter du med fullt batteri og klare "
            "ruter.",
            zh="设置出发时间后，E5 会在连接电源时将车内调至 21 °C，让您满电"
            "出发，车窗清晰无雾。",
        ),
        step=2,
        deep_link="car/climate",
        terms=["topic:electric", "journey_stage:onboarding"],
    ),
    tip(
        "e5-one-pedal",
        title=tr(
            "Try one-pedal driving",
            "Probieren Sie das Ein-Pedal-Fahren aus",
            nb="Prøv enpedalkjøring",
            zh="试试单踏板驾驶",
        ),
        body=tr(
            "In the strongest regeneration mode, the E5 slows down as soon as "
            "you lift off the accelerator and recovers energy as it does. Most "
            "drivers love it after a day.",
            "In der stärksten Rekuperationsstufe bremst der E5, sobald Sie vom "
            "Fahrpedal gehen, und gewinnt dabei Energie zurück. Die meisten "
            "wollen es nach einem Tag nicht mehr missen.",
            nb="I det sterkeste regenereringsnivået bremser E5 så snart du "
            "slipper gasspedalen, og henter samtidig inn energi. De fleste "
            "elsker det etter én dag.",
        ),
        step=3,
        deep_link="car/driving",
        terms=["topic:electric", "journey_stage:onboarding"],
    ),
    tip(
        "cargo-max-loading",
        title=tr(
            "Load the Cargo Max the safe way",
            "Das Cargo Max sicher beladen",
            nb="Last Cargo Max på en trygg måte",
            zh="安全装载 Cargo Max",
        ),
        body=tr(
            "Put heavy things low and close to the back of the box, buckle the "
            "children in before you take the bike off its stand, and keep the "
            "total load under 100 kg.",
            "Legen Sie Schweres nach unten und nah an die Rückwand der Box, "
            "schnallen Sie Kinder an, bevor Sie das Rad vom Ständer nehmen, und "
            "bleiben Sie unter 100 kg Zuladung.",
            nb="Legg det tyngste lavt og nær bakveggen i kassen, spenn fast barna "
            "før du tar sykkelen av støttebeinet, og hold den totale lasten under "
            "100 kg.",
            zh="重物放在底部并靠近货箱后壁；先为孩子系好安全带，再把车从脚撑上"
            "放下；总载重不要超过 100 公斤。",
        ),
        step=1,
        deep_link="bike/cargo",
        terms=["topic:cargo", "journey_stage:onboarding"],
    ),
    tip(
        "battery-through-winter",
        title=tr(
            "Get your battery through the winter",
            "So kommt Ihr Akku gut durch den Winter",
            nb="Slik kommer batteriet gjennom vinteren",
            zh="让电池安全过冬",
            ar="ساعد بطاريتك على تجاوز الشتاء",
        ),
        body=tr(
            "Below 0 °C, take the battery inside after each ride and charge it "
            "at room temperature. Storing the bike for the winter? Leave the "
            "battery about half charged.",
            "Unter 0 °C nehmen Sie den Akku nach jeder Fahrt mit ins Haus und "
            "laden ihn bei Zimmertemperatur. Das Rad überwintert im Keller? "
            "Dann lagern Sie den Akku halb geladen.",
            nb="Under 0 °C bør du ta batteriet inn etter hver tur og lade det i "
            "romtemperatur. Skal sykkelen stå vinteren over? La batteriet være "
            "omtrent halvt ladet.",
            zh="气温低于 0 °C 时，每次骑行后请将电池带回室内，并在室温下充电。"
            "冬季长期停放时，请让电池保持约一半电量。",
            ar="عندما تنخفض الحرارة دون الصفر، أدخل البطارية إلى المنزل بعد كل "
            "رحلة واشحنها في حرارة الغرفة. وإذا ركنت الدراجة طوال الشتاء فاترك "
            "البطارية مشحونة إلى النصف تقريبًا.",
        ),
        step=6,
        deep_link="bike/battery",
        image="battery",
        terms=["topic:e-bikes", "journey_stage:retention", "campaign:loyalty"],
    ),
]
