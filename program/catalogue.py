"""The programme's projects and national targets (DOMAIN.md §2.2–2.3), as data.

Sources: NQ 163/2024/QH15 (targets as enacted), QĐ 7619/QĐ-BCA and the sample plans (project
names). Sub-projects are confirmed only for Dự án 3 and 7; match plans on numbers, not titles.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProjectEntry:
    code: str
    number: str
    name: str
    national_lead: str
    provincial_lead: str
    parent: str = ""


PROJECTS: tuple[ProjectEntry, ...] = (
    ProjectEntry(
        "DA1", "1", "Phòng ngừa, đấu tranh tội phạm về ma túy có tổ chức, xuyên quốc gia", "Bộ Công an", "Công an tỉnh"
    ),
    ProjectEntry("DA2", "2", "Ứng dụng khoa học và công nghệ trong phòng, chống ma túy", "Bộ Công an", "Công an tỉnh"),
    ProjectEntry(
        "DA3",
        "3",
        "Nâng cao năng lực công tác đấu tranh phòng, chống tội phạm ma túy của Bộ Quốc phòng",
        "Bộ Quốc phòng",
        "Bộ Chỉ huy Quân sự tỉnh; Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    ),
    ProjectEntry(
        "DA3.1",
        "3.1",
        "Mua sắm trang thiết bị kỹ thuật nghiệp vụ, nâng cao năng lực phòng, chống tội phạm về ma túy của Bộ đội Biên phòng",
        "Bộ Tư lệnh Bộ đội Biên phòng",
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "DA3",
    ),
    ProjectEntry(
        "DA3.2",
        "3.2",
        "Nâng cao năng lực công tác đấu tranh phòng, chống tội phạm về ma túy của Cảnh sát biển Việt Nam",
        "Bộ Tư lệnh Cảnh sát biển",
        "Bộ Tư lệnh Vùng Cảnh sát biển",
        "DA3",
    ),
    ProjectEntry("DA4", "4", "Nâng cao hiệu quả công tác phòng, chống ma túy ở cơ sở", "Bộ Công an", "Công an tỉnh"),
    ProjectEntry("DA5", "5", "Nâng cao hiệu quả cai nghiện ma túy và quản lý sau cai", "Bộ Công an", "Công an tỉnh"),
    ProjectEntry("DA6", "6", "Tăng cường đáp ứng y tế trong phòng, chống ma túy", "Bộ Y tế", "Sở Y tế"),
    ProjectEntry(
        "DA7", "7", "Truyền thông, giáo dục về phòng, chống ma túy", "Theo từng tiểu dự án", "Theo từng tiểu dự án"
    ),
    ProjectEntry(
        "DA7.1",
        "7.1",
        "Truyền thông về phòng, chống ma túy",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Sở Văn hóa, Thể thao và Du lịch",
        "DA7",
    ),
    ProjectEntry(
        "DA7.2",
        "7.2",
        "Nâng cao hiệu quả truyền thông, giáo dục phòng, chống ma túy ở cơ sở",
        "Bộ Công an",
        "Công an tỉnh",
        "DA7",
    ),
    ProjectEntry(
        "DA7.3",
        "7.3",
        "Tăng cường công tác tuyên truyền giáo dục pháp luật về phòng, chống ma túy cho học sinh, sinh viên",
        "Bộ Giáo dục và Đào tạo",
        "Sở Giáo dục và Đào tạo",
        "DA7",
    ),
    ProjectEntry(
        "DA7.4",
        "7.4",
        "Nâng cao hiệu quả công tác tuyên truyền phòng, chống ma túy trong công nhân lao động các khu công nghiệp",
        "Tổng Liên đoàn Lao động Việt Nam",
        "Liên đoàn Lao động tỉnh",
        "DA7",
    ),
    ProjectEntry(
        "DA8",
        "8",
        "Nâng cao khả năng tiếp cận, thụ hưởng về dịch vụ trợ giúp pháp lý chất lượng và giáo dục pháp luật trong phòng, chống ma túy",
        "Bộ Tư pháp",
        "Sở Tư pháp",
    ),
    ProjectEntry("DA9", "9", "Quản lý, giám sát, đánh giá Chương trình", "Bộ Công an", "Công an tỉnh"),
)


@dataclass(frozen=True)
class TargetEntry:
    code: str
    part: str  # "" for a single-figure target, "a"/"b"/"c" for the parts of a compound one
    text: str
    comparator: str  # >=, >, <=, <, =, increase, decrease
    value: Decimal | None
    unit: str
    year: int | None


_D = Decimal
TARGETS: tuple[TargetEntry, ...] = (
    TargetEntry(
        "T1",
        "",
        "Hằng năm giảm số người nghiện ma túy, người sử dụng trái phép chất ma túy",
        "decrease",
        None,
        "người",
        None,
    ),
    TargetEntry("T2", "", "Đến năm 2030 đạt ít nhất 50% số xã, phường, đặc khu không ma túy", ">=", _D(50), "%", 2030),
    TargetEntry(
        "T2",
        "a",
        "Năm 2025 đạt ít nhất 20% số xã, phường, đặc khu không ma túy (mốc trung gian, KL 132-KL/TW)",
        ">=",
        _D(20),
        "%",
        2025,
    ),
    TargetEntry(
        "T3",
        "a",
        "100% các điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy, đối tượng bán lẻ chất ma túy được phát hiện và triệt phá",
        "=",
        _D(100),
        "%",
        2030,
    ),
    TargetEntry(
        "T3",
        "b",
        "100% diện tích trồng trái phép cây có chứa chất ma túy được phát hiện và triệt phá",
        "=",
        _D(100),
        "%",
        2030,
    ),
    TargetEntry(
        "T4",
        "",
        "Trên 80% các đơn vị và cán bộ, chiến sĩ lực lượng chuyên trách thuộc Bộ đội Biên phòng và Cảnh sát biển được trang bị vũ khí, công cụ hỗ trợ, phương tiện kỹ thuật nghiệp vụ hiện đại",
        ">",
        _D(80),
        "%",
        2030,
    ),
    TargetEntry(
        "T5",
        "a",
        "Hằng năm số vụ phạm tội về ma túy phát hiện, bắt giữ tại khu vực biên giới đường bộ, tuyến đường biển, đường hàng không, chuyển phát nhanh tăng trên 3%",
        "increase",
        _D(3),
        "%",
        None,
    ),
    TargetEntry(
        "T5",
        "b",
        "Hằng năm số vụ phạm tội về ma túy có tổ chức, xuyên quốc gia tăng trên 3%",
        "increase",
        _D(3),
        "%",
        None,
    ),
    TargetEntry(
        "T5",
        "c",
        "Hằng năm số vụ phạm tội về ma túy lợi dụng không gian mạng được phát hiện, triệt phá tăng trên 5%",
        "increase",
        _D(5),
        "%",
        None,
    ),
    TargetEntry(
        "T6", "a", "Trên 80% số trạm y tế cấp xã đủ điều kiện xác định tình trạng nghiện", ">", _D(80), "%", 2030
    ),
    TargetEntry(
        "T6",
        "b",
        "100% cơ sở cai nghiện ma túy công lập đủ điều kiện xác định tình trạng nghiện",
        "=",
        _D(100),
        "%",
        2030,
    ),
    TargetEntry(
        "T7",
        "a",
        "100% cơ sở cai nghiện ma túy công lập bảo đảm điều kiện theo quy định của Luật Phòng, chống ma túy",
        "=",
        _D(100),
        "%",
        2030,
    ),
    TargetEntry(
        "T7",
        "b",
        "Trên 70% xã, phường có người nghiện ma túy bố trí điểm tiếp nhận và tư vấn cai nghiện ma túy đủ điều kiện",
        ">",
        _D(70),
        "%",
        2030,
    ),
    TargetEntry(
        "T7",
        "c",
        "Ít nhất 70% địa bàn cấp xã tổ chức cai nghiện ma túy tự nguyện tại gia đình, cộng đồng",
        ">=",
        _D(70),
        "%",
        2030,
    ),
    TargetEntry(
        "T8",
        "",
        "Trợ giúp pháp lý cho 100% số người vi phạm pháp luật liên quan đến ma túy, người sử dụng trái phép chất ma túy, người nghiện và người được quản lý sau cai nghiện thuộc diện trợ giúp pháp lý khi có yêu cầu",
        "=",
        _D(100),
        "%",
        2030,
    ),
    TargetEntry(
        "T9",
        "",
        "Trên 90% người nghiện ma túy, người sử dụng trái phép chất ma túy, người cai nghiện, người tham gia điều trị nghiện, người sau cai nghiện được tư vấn, hỗ trợ và can thiệp về y tế, tâm lý",
        ">",
        _D(90),
        "%",
        2030,
    ),
)

COMPARATOR_LABELS = {
    ">=": "ít nhất",
    ">": "trên",
    "<=": "tối đa",
    "<": "dưới",
    "=": "đạt",
    "increase": "tăng trên",
    "decrease": "giảm so với năm trước",
}
