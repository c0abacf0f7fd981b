"""Identifier vocabularies: the names a sample's signature is spelled with, in several styles.

Hand-written specs name things every way: `xs` and `n`, `line_items` and `unit_price`,
`lineItems` and `unitPrice`, and -- in Russian, Chinese, Arabic, ... specs -- words in the
language's own script (`текст`, `学生们`). A model that saw only one style learns the
names, not to copy them from the signature. Each `Vocabulary` is one style; a sample draws
one (`pick_vocabulary`), and its parameters, records, fields and loop variables come from it.

A record's singular word names the loop variable over a list of it, so it must differ from
the record's own name (`Item` / `item`, `طالب` / `الطالب`).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class Vocabulary:
    """Names for every role, by type name.

    Args:
        style: `plain`, `short`, `long`, `camel` or `native:<lang>`.
        records: (record, plural, singular): a record type, the words for a list of it and one of it.
        fields: field names by field type.
        lists: (plural, singular) list-parameter names by element type; the singular names
            the loop variable.
        scalars: parameter names by type.
        list_suffix: makes a second name for a list of records (`item_list`, `itemList`).
    """

    style: str
    records: tuple[tuple[str, str, str], ...]
    fields: Mapping[str, tuple[str, ...]]
    lists: Mapping[str, tuple[tuple[str, str], ...]]
    scalars: Mapping[str, tuple[str, ...]]
    list_suffix: str = "_list"


PLAIN = Vocabulary(
    "plain",
    records=(
        ("Item", "items", "item"), ("Order", "orders", "order"), ("Product", "products", "product"),
        ("Employee", "employees", "employee"), ("Student", "students", "student"),
        ("Task", "tasks", "task"), ("Book", "books", "book"), ("Account", "accounts", "account"),
        ("City", "cities", "city"), ("Song", "songs", "song"), ("Player", "players", "player"),
        ("Invoice", "invoices", "invoice"), ("Ticket", "tickets", "ticket"),
        ("Package", "packages", "parcel"), ("Room", "rooms", "room"), ("Movie", "movies", "movie"),
    ),
    fields={
        "Int": ("qty", "age", "year", "stock", "pages", "level", "votes", "minutes", "floor", "rank"),
        "Float": ("price", "weight", "rating", "balance", "score", "amount", "height", "cost", "speed"),
        "String": ("name", "title", "city", "code", "label", "owner", "tag", "email", "author"),
        "Bool": ("active", "done", "available", "paid", "verified", "urgent"),
    },
    lists={
        "Int": (("numbers", "n"), ("scores", "score"), ("ages", "age"), ("counts", "c"), ("values", "v"),
                ("marks", "mark"), ("steps", "step"), ("xs", "x"), ("years", "year")),
        "Float": (("prices", "price"), ("weights", "w"), ("readings", "r"), ("amounts", "amount"),
                  ("temperatures", "t"), ("rates", "rate"), ("ys", "y"), ("distances", "d")),
        "String": (("words", "word"), ("names", "name"), ("tags", "tag"), ("lines", "line"),
                   ("labels", "label"), ("parts", "part"), ("titles", "title"), ("codes", "code")),
    },
    scalars={
        "Int": ("n", "limit", "threshold", "k", "minimum", "offset", "bonus", "extra", "cap", "target"),
        "Float": ("rate", "factor", "tax", "discount", "scale", "bias", "fee", "ratio", "budget"),
        "String": ("text", "prefix", "suffix", "word", "label", "title", "sep", "query", "needle"),
        "Bool": ("flag", "strict", "enabled", "verbose"),
    },
)

SHORT = Vocabulary(
    "short",
    records=(("Rec", "rs", "r"), ("Row", "rows", "row"), ("Obj", "objs", "o"), ("Item", "its", "it"),
             ("Node", "ns", "nd"), ("Entry", "es", "e")),
    fields={
        "Int": ("n", "k", "qty", "cnt", "num", "idx"),
        "Float": ("p", "w", "val", "amt", "x", "v"),
        "String": ("s", "nm", "id", "key", "txt"),
        "Bool": ("ok", "on", "flag"),
    },
    lists={
        "Int": (("xs", "x"), ("ns", "n"), ("nums", "n"), ("a", "x"), ("arr", "v"), ("lst", "i")),
        "Float": (("ys", "y"), ("fs", "f"), ("vals", "v"), ("ps", "p"), ("ws", "w")),
        "String": (("ss", "s"), ("ws", "w"), ("strs", "s"), ("toks", "t"), ("names", "nm")),
    },
    scalars={
        "Int": ("n", "k", "m", "i", "lo", "hi", "t", "c"),
        "Float": ("r", "f", "p", "w", "x", "c"),
        "String": ("s", "t", "q", "w", "sep", "pre"),
        "Bool": ("b", "f", "ok"),
    },
    list_suffix="_lst",
)

LONG = Vocabulary(
    "long",
    records=(("LineItem", "line_items", "line_item"), ("CustomerOrder", "customer_orders", "customer_order"),
             ("UserAccount", "user_accounts", "user_account"), ("SensorReading", "sensor_readings", "sensor_reading"),
             ("StockProduct", "stock_products", "stock_product"), ("TeamPlayer", "team_players", "team_player"),
             ("ExamResult", "exam_results", "exam_result"), ("ShoppingCartEntry", "cart_entries", "cart_entry")),
    fields={
        "Int": ("item_count", "page_count", "age_in_years", "stock_level", "retry_count", "days_overdue"),
        "Float": ("unit_price", "total_weight", "average_rating", "account_balance", "base_cost", "max_speed"),
        "String": ("full_name", "display_title", "city_name", "product_code", "owner_email", "short_label"),
        "Bool": ("is_active", "is_done", "has_paid", "is_verified"),
    },
    lists={
        "Int": (("input_numbers", "number"), ("all_scores", "score"), ("user_ages", "age"),
                ("page_counts", "page_count"), ("daily_steps", "step_count")),
        "Float": (("item_prices", "item_price"), ("sensor_values", "sensor_value"), ("daily_temperatures", "temp"),
                  ("order_amounts", "amount"), ("exchange_rates", "exchange_rate")),
        "String": (("user_names", "user_name"), ("input_lines", "line"), ("file_names", "file_name"),
                   ("search_terms", "term"), ("product_codes", "product_code")),
    },
    scalars={
        "Int": ("max_count", "min_value", "item_limit", "page_size", "retry_count", "offset_days", "target_total"),
        "Float": ("tax_rate", "discount_factor", "unit_price", "base_fee", "min_balance", "scale_factor"),
        "String": ("search_text", "name_prefix", "file_suffix", "user_name", "join_separator", "query_string"),
        "Bool": ("is_strict", "include_all", "dry_run"),
    },
)


def camel(name: str) -> str:
    """`line_items` -> `lineItems`."""
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


CAMEL = Vocabulary(
    "camel",
    records=tuple((r, camel(p), camel(s)) for r, p, s in LONG.records),
    fields={t: tuple(camel(n) for n in names) for t, names in LONG.fields.items()},
    lists={t: tuple((camel(p), camel(s)) for p, s in pairs) for t, pairs in LONG.lists.items()},
    scalars={t: tuple(camel(n) for n in names) for t, names in LONG.scalars.items()},
    list_suffix="List",
)


def _native(lang: str, records, fields, lists, scalars) -> Vocabulary:
    return Vocabulary(f"native:{lang}", tuple(records),
                      dict(zip(("Int", "Float", "String", "Bool"), fields)),
                      dict(zip(("Int", "Float", "String"), lists)),
                      dict(zip(("Int", "Float", "String", "Bool"), scalars)), list_suffix="_2")


#: Identifiers in the script of each language that has its own.
NATIVE = {v.style.split(":")[1]: v for v in (
    _native("ru", [("Товар", "товары", "товар"), ("Заказ", "заказы", "заказ"), ("Студент", "студенты", "студент"),
                   ("Сотрудник", "сотрудники", "сотрудник")],
            [("количество", "возраст", "год", "остаток"), ("цена", "вес", "оценка", "сумма"),
             ("имя", "название", "город", "код"), ("активен", "оплачен", "готово")],
            [(("числа", "число"), ("баллы", "балл"), ("возрасты", "возраст")),
             (("цены", "цена"), ("веса", "вес"), ("температуры", "т")),
             (("слова", "слово"), ("имена", "имя"), ("строки", "строка"))],
            [("порог", "лимит", "количество", "минимум"), ("ставка", "коэффициент", "скидка", "налог"),
             ("текст", "префикс", "разделитель", "слово"), ("флаг", "строго")]),
    _native("zh", [("学生", "学生们", "学员"), ("订单", "订单列表", "单"), ("商品", "商品列表", "货")],
            [("数量", "年龄", "库存"), ("价格", "分数", "重量"), ("姓名", "名称", "城市"), ("有效", "已付款")],
            [(("数字列表", "数"), ("分数列表", "分"), ("年龄列表", "龄")),
             (("价格列表", "价"), ("温度列表", "温度"), ("重量列表", "重")),
             (("单词", "词"), ("名字列表", "名"), ("标签列表", "标签"))],
            [("阈值", "上限", "数目"), ("税率", "折扣", "系数"), ("文本", "前缀", "分隔符"), ("标志", "严格")]),
    _native("ja", [("商品", "商品リスト", "品"), ("注文", "注文リスト", "注文項目"), ("学生", "学生リスト", "生徒")],
            [("数量", "年齢", "在庫"), ("価格", "点数", "重さ"), ("名前", "題名", "都市"), ("有効", "支払済み")],
            [(("数値リスト", "数値"), ("点数リスト", "点"), ("年齢リスト", "歳")),
             (("価格リスト", "価格"), ("気温リスト", "気温"), ("重量リスト", "重量")),
             (("単語リスト", "単語"), ("名前リスト", "名前"), ("タグ一覧", "タグ"))],
            [("しきい値", "上限", "件数"), ("税率", "割引率", "係数"), ("テキスト", "接頭辞", "区切り"), ("フラグ", "厳密")]),
    _native("ko", [("상품", "상품들", "상품항목"), ("주문", "주문들", "주문건"), ("직원", "직원들", "사원")],
            [("수량", "나이", "재고"), ("가격", "점수", "무게"), ("이름", "제목", "도시"), ("활성", "결제됨")],
            [(("숫자들", "숫자"), ("점수들", "점수"), ("나이들", "나이")),
             (("가격들", "가격"), ("온도들", "온도"), ("무게들", "무게")),
             (("단어들", "단어"), ("이름들", "이름"), ("태그들", "태그"))],
            [("기준값", "한도", "개수"), ("세율", "할인율", "배율"), ("텍스트", "접두사", "구분자"), ("플래그", "엄격")]),
    _native("ar", [("طالب", "الطلاب", "الطالب"), ("طلب", "الطلبات", "الطلب"), ("منتج", "المنتجات", "المنتج")],
            [("الكمية", "العمر", "المخزون"), ("السعر", "الدرجة", "الوزن"), ("الاسم", "العنوان", "المدينة"),
             ("نشط", "مدفوع")],
            [(("الأرقام", "رقم"), ("الدرجات", "درجة"), ("الأعمار", "عمر")),
             (("الأسعار", "سعر"), ("الأوزان", "وزن"), ("القراءات", "قراءة")),
             (("الكلمات", "كلمة"), ("الأسماء", "اسم"), ("الوسوم", "وسم"))],
            [("الحد", "العتبة", "العدد"), ("النسبة", "الخصم", "المعامل"), ("النص", "البادئة", "الفاصل"),
             ("صارم", "مفعل")]),
    _native("hi", [("छात्र", "छात्र_सूची", "विद्यार्थी"), ("ऑर्डर", "ऑर्डर_सूची", "आदेश"),
                   ("कर्मचारी", "कर्मचारी_सूची", "कर्मी")],
            [("मात्रा", "उम्र", "स्टॉक"), ("कीमत", "अंक", "वजन"), ("नाम", "शीर्षक", "शहर"), ("सक्रिय", "भुगतान")],
            [(("संख्याएँ", "संख्या"), ("अंक_सूची", "अंक"), ("उम्रें", "उम्र")),
             (("कीमतें", "कीमत"), ("तापमान_सूची", "तापमान"), ("वजन_सूची", "वजन")),
             (("शब्द_सूची", "शब्द"), ("नाम_सूची", "नाम"), ("टैग_सूची", "टैग"))],
            [("सीमा", "दहलीज", "गिनती"), ("दर", "छूट", "गुणांक"), ("पाठ", "उपसर्ग", "विभाजक"), ("सख्त", "चालू")]),
    _native("el", [("Προϊόν", "προϊόντα", "προϊόν"), ("Παραγγελία", "παραγγελίες", "παραγγελία"),
                   ("Μαθητής", "μαθητές", "μαθητής")],
            [("ποσότητα", "ηλικία", "απόθεμα"), ("τιμή", "βαθμός", "βάρος"), ("όνομα", "τίτλος", "πόλη"),
             ("ενεργό", "πληρωμένο")],
            [(("αριθμοί", "αριθμός"), ("βαθμοί", "βαθμός"), ("ηλικίες", "ηλικία")),
             (("τιμές", "τιμή"), ("θερμοκρασίες", "θ"), ("βάρη", "βάρος")),
             (("λέξεις", "λέξη"), ("ονόματα", "όνομα"), ("ετικέτες", "ετικέτα"))],
            [("όριο", "κατώφλι", "πλήθος"), ("συντελεστής", "έκπτωση", "φόρος"), ("κείμενο", "πρόθεμα", "διαχωριστικό"),
             ("σημαία", "αυστηρό")]),
    _native("he", [("מוצר", "המוצרים", "המוצר"), ("הזמנה", "ההזמנות", "ההזמנה"), ("תלמיד", "התלמידים", "התלמיד")],
            [("כמות", "גיל", "מלאי"), ("מחיר", "ציון", "משקל"), ("שם", "כותרת", "עיר"), ("פעיל", "שולם")],
            [(("מספרים", "מספר"), ("ציונים", "ציון"), ("גילים", "גיל")),
             (("מחירים", "מחיר"), ("טמפרטורות", "טמפ"), ("משקלים", "משקל")),
             (("מילים", "מילה"), ("שמות", "שם"), ("תגיות", "תגית"))],
            [("סף", "מגבלה", "מונה"), ("שיעור", "הנחה", "מקדם"), ("טקסט", "קידומת", "מפריד"), ("דגל", "קפדני")]),
)}

#: How often each style is drawn for a sample (native: one of `NATIVE`, at random).
STYLES = (("plain", 0.45), ("short", 0.15), ("long", 0.12), ("camel", 0.12), ("native", 0.16))
_BY_STYLE = {v.style: v for v in (PLAIN, SHORT, LONG, CAMEL)}


def pick_vocabulary(rng: random.Random) -> Vocabulary:
    """One style's vocabulary, drawn by `STYLES`' weights."""
    style = rng.choices([s for s, _ in STYLES], [w for _, w in STYLES])[0]
    if style == "native":
        return NATIVE[rng.choice(sorted(NATIVE))]
    return _BY_STYLE[style]
