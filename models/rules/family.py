"""III. Quan hệ gia đình: years of each relative, and warnings on implausible family shapes."""

from __future__ import annotations

from models.rules.checker import Checker, row_path

TABLE = "family_members"
SPOUSE_SIDE = "ben_vo_chong"
WIFE, HUSBAND, CHILD = "vo", "chong", "con"
SINGLE_RELATIONS = {"cha": "Cha", "me": "Mẹ"}
ADULT_AGE_FOR_CHILD = 14


def check(c: Checker) -> None:
    rows = list(c.for_rows(TABLE))
    sex = c.profile.sex
    seen: dict[str, int] = {}
    spouse_rows: list[int] = []
    has_spouse = False
    for i, row in rows:
        relation = row.relation
        relation_path = row_path(TABLE, i, "relation")
        if row.death_year is not None and row.birth_year is not None and row.death_year < row.birth_year:
            if not c.has_issue(row_path(TABLE, i, "death_year")):
                c.error(row_path(TABLE, i, "death_year"), "Năm mất không được trước Năm sinh.")
        if not relation or c.has_issue(relation_path):
            continue
        if relation in SINGLE_RELATIONS:
            if relation in seen:
                c.warning(relation_path, f"Đã khai {SINGLE_RELATIONS[relation]} ở dòng {seen[relation] + 1}.")
            else:
                seen[relation] = i
        if relation == WIFE and sex == "nu":
            c.warning(relation_path, "Người khai là nữ nhưng khai quan hệ Vợ.")
        elif relation == HUSBAND and sex == "nam":
            c.warning(relation_path, "Người khai là nam nhưng khai quan hệ Chồng.")
        if relation in (WIFE, HUSBAND):
            has_spouse = True
        entry = c.refs.item("family_relations", relation)
        side = entry.kind if entry else row.side
        if side == SPOUSE_SIDE:
            spouse_rows.append(i)
        birth = c.birth
        if (
            relation == CHILD
            and birth is not None
            and row.birth_year is not None
            and row.birth_year < birth.year + ADULT_AGE_FOR_CHILD
        ):
            c.warning(
                row_path(TABLE, i, "birth_year"),
                f"Con sinh năm {row.birth_year}, khi người khai chưa đủ {ADULT_AGE_FOR_CHILD} tuổi.",
            )
    if spouse_rows and not has_spouse:
        c.warning(
            row_path(TABLE, spouse_rows[0], "relation"),
            "Đã khai người thân bên vợ (hoặc chồng) nhưng chưa khai Vợ hoặc Chồng.",
        )
