"""Texts in the scripts legacy encodings were made for: how many the reader reads back.

    python bench/legacy_scripts.py [DIR ...] [--against OLD_TREE] [--chars 0,300,80]

``legacy_encodings.py`` re-encodes pages that are mostly English; this checks the other
side, that text in another script still reads in it: sentences written for this check in
some thirty languages (Japanese, Chinese, Korean, Russian, Greek, Polish, Czech,
Hungarian, Turkish, Hebrew, Arabic, Thai...; a few with "©" and "®", or Latin words among
the ideographs, "iPhoneとiPad") and, from the pages of the DIRs (the defaults of
``legacy_encodings.py``), the lines written mostly in Chinese, Japanese, Korean, Cyrillic,
Greek, Arabic or Hebrew letters, and the lines with two or more letters of the Central
European code pages ("ł", "ř", "ő"). Each is encoded in the legacy encodings of its script
(the characters an encoding lacks written as ``?``), whole and cut to its first lines up
to each ``--chars``, and read with ``readers.decode_with_info``. Prints, per group and
encoding, the texts and how many read back exactly; with ``--against`` both checkouts'
counts and the texts they read differently.
"""
from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classifier_against import imported  # noqa: E402
from legacy_encodings import DEFAULT_DIRS, first_lines, pages, read  # noqa: E402

CE = ["cp1250", "iso8859_2"]
#: Sentences written for this check: language -> (text, the encodings of its script).
SENTENCES = {
    "ja": ("東京都は昨日、来年度の予算案を発表しました。子育て支援や防災対策に重点を置き、"
           "総額は過去最大となります。知事は記者会見で「誰もが安心して暮らせる街を目指す」と"
           "述べました。一方、野党からは財源の確保について疑問の声も上がっています。\n"
           "新しいiPhoneとiPadは、9月20日から予約を受け付けます。価格は税込みで12万円から"
           "です。Apple Storeのほか、各キャリアでも購入できます。\n",
           ["shift_jis", "cp932", "euc_jp"]),
    "ja-short": ("新しいiPhoneとiPadは9月20日から予約できます。", ["shift_jis", "euc_jp"]),
    "ja-half-width": ("ｶﾀｶﾅ表記のﾒﾆｭｰ：ﾗｰﾒﾝ 800円、ｷﾞｮｳｻﾞ 400円。", ["shift_jis", "euc_jp"]),
    "zh-hans": ("北京市政府昨天公布了明年的财政预算草案。预算重点支持教育、医疗和公共交通，"
                "总额创历史新高。市长在新闻发布会上表示，将努力让每一位市民都能安心生活。"
                "不过，一些专家对资金来源提出了疑问。\n新款iPhone和iPad将于9月20日开始预订，"
                "售价12000元起。\n", ["gb2312", "gbk", "gb18030"]),
    "zh-hant": ("台北市政府昨天公布了明年度的預算草案。預算重點支持教育、醫療和大眾運輸，"
                "總額創下歷史新高。市長在記者會上表示，將努力讓每一位市民都能安心生活。"
                "不過，部分專家對財源提出了疑問。\n", ["big5"]),
    "ko": ("서울시는 어제 내년도 예산안을 발표했습니다. 교육과 복지, 대중교통에 중점을 두었으며 "
           "총액은 역대 최대 규모입니다. 시장은 기자회견에서 모든 시민이 안심하고 살 수 있는 "
           "도시를 만들겠다고 말했습니다. 그러나 일부 전문가들은 재원 마련에 대해 의문을 "
           "제기했습니다. 새 iPhone을 예약하세요.\n", ["euc_kr", "cp949"]),
    "ru": ("Правительство Москвы вчера представило проект бюджета на следующий год. Основное "
           "внимание уделено образованию, здравоохранению и общественному транспорту. Мэр "
           "заявил на пресс-конференции, что город сделает всё, чтобы каждый житель чувствовал "
           "себя в безопасности. Однако некоторые эксперты усомнились в источниках "
           "финансирования. © 2024 «Вести», 5 × 3 м.\n", ["cp1251", "koi8_r", "iso8859_5"]),
    "uk": ("Уряд учора представив проєкт бюджету на наступний рік. Найбільше коштів піде на "
           "охорону здоров'я, освіту та громадський транспорт. Їхні пропозиції розглянуть у "
           "парламенті. Хліб і сіль.\n", ["cp1251", "koi8_u"]),
    "el": ("Η κυβέρνηση παρουσίασε χθες το σχέδιο του προϋπολογισμού για το επόμενο έτος. "
           "Έμφαση δίνεται στην παιδεία, την υγεία και τις δημόσιες συγκοινωνίες. Ο πρωθυπουργός "
           "δήλωσε ότι η χώρα θα συνεχίσει τις μεταρρυθμίσεις. Ωστόσο, η αντιπολίτευση εξέφρασε "
           "αμφιβολίες για τη χρηματοδότηση. © 2024\n", ["cp1253", "iso8859_7"]),
    "pl": ("Rząd przedstawił wczoraj projekt budżetu na przyszły rok. Najwięcej pieniędzy trafi "
           "na ochronę zdrowia, edukację i transport publiczny. Premier zapowiedział, że deficyt "
           "nie przekroczy trzech procent. Opozycja skrytykowała jednak plan i zażądała "
           "szczegółowych wyjaśnień. Łódź, Gdańsk i Kraków otrzymają dodatkowe środki.\n"
           "Źródło: PAP\n", CE),
    "pl-short": ("Źródło: PAP. Żółć, Łódź, Śląsk.", CE),
    "pl-capitals": ("ŻYCIE ŁÓDŹ ŚLĄSK\nWiadomości z regionu\n", CE),
    "cs": ("Vláda včera představila návrh rozpočtu na příští rok. Nejvíce peněz půjde na "
           "zdravotnictví, školství a veřejnou dopravu. Premiér uvedl, že schodek nepřekročí "
           "tři procenta. Opozice však plán kritizovala a požaduje podrobnější vysvětlení. Šéf "
           "úřadu řekl, že změny začnou platit od ledna. Žádosti lze podávat elektronicky.\n", CE),
    "cs-capitals": ("MUŽ ROKU\nŠKODA AUTO\nCena pro nejlepšího řidiče\n", CE),
    "cs-brand": ("Škoda® Octavia: nový motor, nižší spotřeba. © 2024 Škoda Auto a.s.\n", CE),
    "sk": ("Vláda včera predstavila návrh rozpočtu na budúci rok. Najviac peňazí pôjde na "
           "zdravotníctvo, školstvo a verejnú dopravu. Ľudia si budú môcť podať žiadosť "
           "elektronicky. Opozícia však plán kritizovala.\n", CE),
    "hu": ("A kormány tegnap bemutatta a jövő évi költségvetés tervezetét. A legtöbb pénz az "
           "egészségügyre, az oktatásra és a közösségi közlekedésre jut. A miniszterelnök szerint "
           "a hiány nem haladja meg a három százalékot. Az ellenzék azonban bírálta a tervet, és "
           "részletes magyarázatot követelt.\n", CE),
    "sl": ("Vlada je včeraj predstavila predlog proračuna za prihodnje leto. Največ denarja bo "
           "namenjenega zdravstvu, šolstvu in javnemu prevozu. Župan je dejal, da bodo "
           "spremembe začele veljati januarja. Že jutri bo seja.\n", CE),
    "sl-short": ("Šola in župan. Že jutri.", CE),
    "hr": ("Vlada je jučer predstavila prijedlog proračuna za sljedeću godinu. Najviše novca "
           "bit će namijenjeno zdravstvu, školstvu i javnom prijevozu. Građani će zahtjeve moći "
           "podnijeti elektronički. Oporba je međutim kritizirala plan. Županija Split.\n", CE),
    "ro": ("Guvernul a prezentat ieri proiectul de buget pentru anul viitor. Cei mai mulţi bani "
           "vor merge către sănătate, învăţământ şi transport public. Opoziţia a criticat însă "
           "planul.\n", CE),
    "tr": ("Hükümet dün gelecek yılın bütçe taslağını açıkladı. En büyük pay sağlık, eğitim ve "
           "toplu taşımaya ayrıldı. Başbakan, açığın yüzde üçü geçmeyeceğini söyledi. Muhalefet "
           "ise planı eleştirdi.\n", ["cp1254"]),
    "lt": ("Vyriausybė vakar pristatė kitų metų biudžeto projektą. Daugiausia lėšų skirta "
           "sveikatos apsaugai, švietimui ir viešajam transportui. Premjeras pareiškė, kad "
           "deficitas neviršys trijų procentų.\n", ["cp1257"]),
    "lv": ("Valdība vakar iepazīstināja ar nākamā gada budžeta projektu. Visvairāk naudas tiks "
           "novirzīts veselības aprūpei, izglītībai un sabiedriskajam transportam.\n", ["cp1257"]),
    "he": ("הממשלה הציגה אתמול את הצעת התקציב לשנה הבאה. רוב הכסף יופנה לבריאות, לחינוך "
           "ולתחבורה ציבורית. האופוזיציה מתחה ביקורת על התוכנית.\n", ["cp1255", "iso8859_8"]),
    "ar": ("قدمت الحكومة أمس مشروع الميزانية للعام المقبل. وستخصص معظم الأموال للصحة والتعليم "
           "والنقل العام. وانتقدت المعارضة الخطة وطالبت بتوضيحات مفصلة.\n", ["cp1256"]),
    "th": ("รัฐบาลได้เสนอร่างงบประมาณสำหรับปีหน้าเมื่อวานนี้ เงินส่วนใหญ่จะใช้ไปกับสาธารณสุข "
           "การศึกษา และการขนส่งสาธารณะ ฝ่ายค้านวิจารณ์แผนดังกล่าว\n", ["cp874"]),
    "vi": ("Chính phủ hôm qua đã trình bày dự thảo ngân sách cho năm tới. Phần lớn kinh phí sẽ "
           "dành cho y tế, giáo dục và giao thông công cộng.\n", ["cp1258"]),
    "de": ("Die Regierung hat gestern den Haushaltsentwurf für das kommende Jahr vorgestellt. "
           "Das meiste Geld fließt in Gesundheit, Bildung und öffentlichen Verkehr. © 2024 "
           "Süddeutsche Zeitung®\n", ["cp1252", "iso8859_15"]),
    "fr": ("Le gouvernement a présenté hier le projet de budget pour l'année prochaine. "
           "L’essentiel des fonds ira à la santé, à l’éducation et aux transports publics. "
           "© 2024 Le Monde — tous droits réservés.\n", ["cp1252"]),
    "es": ("El gobierno presentó ayer el proyecto de presupuesto para el próximo año. La mayor "
           "parte del dinero irá a sanidad, educación y transporte público. ¿Quién pagará? "
           "© 2024 El País®\n", ["cp1252"]),
}
#: Scripts of the pages' lines (by the first word of their letters' Unicode names).
SCRIPTS = {"CJK": ["shift_jis", "euc_jp", "gb2312", "gbk", "big5"],
           "HIRAGANA": ["shift_jis", "cp932", "euc_jp"], "HANGUL": ["euc_kr", "cp949"],
           "CYRILLIC": ["cp1251", "koi8_r", "iso8859_5"], "GREEK": ["cp1253", "iso8859_7"],
           "ARABIC": ["cp1256"], "HEBREW": ["cp1255"]}
#: Letters of the Central European code pages beyond Latin-1.
CE_LETTERS = frozenset("ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽőűŐŰľĺŕĽĹŔăşţĂŞŢđĐ")


def texts(dirs: list[Path]) -> list[tuple[str, str, str, list[str]]]:
    """``(group, name, text, encodings)``: the sentences, then the pages' lines by script."""
    found = [("own", name, text, encodings) for name, (text, encodings) in SENTENCES.items()]
    for name, page in pages(dirs):
        lines = page.splitlines()
        for script, encodings in SCRIPTS.items():
            ours = []
            for line in lines:
                letters = [c for c in line if c.isalpha()]
                within = sum(unicodedata.name(c, "").startswith(script) for c in letters)
                if within >= 3 and 2 * within >= len(letters):
                    ours.append(line)
            if sum(map(len, ours)) >= 40:
                found.append((script, name, "\n".join(ours) + "\n", encodings))
        ce = [line for line in lines if sum(c in CE_LETTERS for c in line) >= 2]
        if sum(map(len, ce)) >= 40:
            found.append(("CE", name, "\n".join(ce) + "\n", CE))
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", type=Path, nargs="*", default=DEFAULT_DIRS)
    ap.add_argument("--against", type=Path, metavar="OLD_TREE")
    ap.add_argument("--chars", default="0,300,80",
                    help="lengths to cut each text to, 0 for whole (default 0,300,80)")
    args = ap.parse_args(argv)
    ours = imported(None, ("readers",))["readers"]
    old = imported(args.against, ("readers",))["readers"] if args.against else None
    counts: Counter = Counter()
    differ = []
    found = texts(args.dirs)
    for group, name, text, encodings in found:
        for chars in map(int, args.chars.split(",")):
            cut = first_lines(text, chars)
            for encoding in encodings:
                data = cut.encode(encoding, errors="replace")
                if data.isascii():
                    continue
                want = data.decode(encoding)
                got, taken = read(ours, data)
                counts[group, encoding, "texts"] += 1
                counts[group, encoding, "new"] += got == want
                if old is not None:
                    got_old, taken_old = read(old, data)
                    counts[group, encoding, "old"] += got_old == want
                    if got_old != got:
                        differ.append(f"    {group}/{name} {encoding} chars={chars}: {taken_old} "
                                      f"-> {taken} ({'exact' if got_old == want else 'wrong'} "
                                      f"-> {'exact' if got == want else 'wrong'})")
    print(f"{len(found)} texts")
    for group, encoding in sorted({key[:2] for key in counts}):
        before = f"{counts[group, encoding, 'old']} -> " if old is not None else ""
        print(f"{group:<9} {encoding:<10} {counts[group, encoding, 'texts']:>4} texts, read "
              f"back {before}{counts[group, encoding, 'new']}")
    print("\n".join(differ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
