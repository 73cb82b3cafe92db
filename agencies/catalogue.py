"""The standard catalogue of provincial bodies that drug-control plans address.

Pure data, no database: the seed command turns it into `Agency` rows for a province and the
plan extractor matches printed names against it. Names are the canonical forms a provincial
plan prints; ``{province}`` is replaced by the province's short name (e.g. "Đắk Lắk").
Sources: DOMAIN.md §6.3, the headings of the sample plans and ../shared/eval/agencies.json.
Legacy bodies (merged or abolished in the 2025 reforms) stay recognisable for older plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Kind:
    """Kinds of body (stored as short codes; labels are what users read)."""

    POLICE = "police"
    DEPARTMENT = "department"
    GOVERNMENT = "government"
    ARMED = "armed"
    JUDICIAL = "judicial"
    CUSTOMS = "customs"
    MASS_ORG = "mass_org"
    MEDIA = "media"
    COMMUNE_GROUP = "commune_group"
    GROUP = "group"
    OTHER = "other"

    CHOICES = [
        (POLICE, "Công an"),
        (DEPARTMENT, "Sở, ban, ngành"),
        (GOVERNMENT, "Cơ quan chính quyền"),
        (ARMED, "Lực lượng vũ trang"),
        (JUDICIAL, "Cơ quan tư pháp"),
        (CUSTOMS, "Hải quan"),
        (MASS_ORG, "Mặt trận, đoàn thể"),
        (MEDIA, "Cơ quan báo chí"),
        (COMMUNE_GROUP, "Chính quyền cấp xã"),
        (GROUP, "Nhóm cơ quan"),
        (OTHER, "Khác"),
    ]


@dataclass(frozen=True)
class CatalogueEntry:
    """One standard body: its code, canonical name, kind and printed variants."""

    code: str
    name: str
    kind: str
    aliases: tuple[str, ...] = field(default_factory=tuple)
    legacy: bool = False
    # Bodies outside the People's Committee's command: plans address them with "Đề nghị".
    requested: bool = False
    short_name: str = ""

    def render(self, province: str) -> CatalogueEntry:
        """This entry with ``{province}`` replaced by the province's short name."""
        return CatalogueEntry(
            code=self.code,
            name=self.name.format(province=province),
            kind=self.kind,
            aliases=tuple(a.format(province=province) for a in self.aliases),
            legacy=self.legacy,
            requested=self.requested,
            short_name=self.short_name.format(province=province),
        )


E = CatalogueEntry
K = Kind

STANDARD_AGENCIES: tuple[CatalogueEntry, ...] = (
    # Police: the Standing Office of the provincial programme.
    E(
        "CA",
        "Công an tỉnh",
        K.POLICE,
        short_name="CAT",
        aliases=(
            "Công an tỉnh (Cơ quan Thường trực)",
            "Công an tỉnh - Cơ quan Thường trực",
            "Công an tỉnh - Cơ quan thường trực Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc tỉnh",
            "Công an thành phố",
            "Công an",
            "CA tỉnh",
            "Phòng Cảnh sát điều tra tội phạm về ma túy",
            "PC04",
        ),
    ),
    # Provincial departments after the 2025 merger.
    E("SYT", "Sở Y tế", K.DEPARTMENT, short_name="SYT"),
    E(
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        K.DEPARTMENT,
        short_name="Sở VHTTDL",
        aliases=("Sở VHTTDL", "Sở Văn hóa - Thể thao và Du lịch", "Sở Văn hóa và Thể thao"),
    ),
    E(
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        K.DEPARTMENT,
        short_name="Sở GD&ĐT",
        aliases=("Sở GD&ĐT", "Sở GDĐT", "Sở Giáo dục - Đào tạo"),
    ),
    E("STP", "Sở Tư pháp", K.DEPARTMENT),
    E("STC", "Sở Tài chính", K.DEPARTMENT),
    E("SNV", "Sở Nội vụ", K.DEPARTMENT),
    E("SCT", "Sở Công Thương", K.DEPARTMENT),
    E(
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        K.DEPARTMENT,
        short_name="Sở NN&MT",
        aliases=("Sở NN&MT", "Sở Nông nghiệp - Môi trường"),
    ),
    E("SDTTG", "Sở Dân tộc và Tôn giáo", K.DEPARTMENT),
    E("SKHCN", "Sở Khoa học và Công nghệ", K.DEPARTMENT, aliases=("Sở KH&CN",)),
    E("SXD", "Sở Xây dựng", K.DEPARTMENT),
    E("SNGV", "Sở Ngoại vụ", K.DEPARTMENT),
    E("TTT", "Thanh tra tỉnh", K.DEPARTMENT),
    E("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", K.DEPARTMENT, aliases=("Văn phòng UBND tỉnh",)),
    E("BHXH", "Bảo hiểm xã hội tỉnh", K.OTHER, aliases=("BHXH tỉnh",)),
    E(
        "NHCSXH",
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
        K.OTHER,
        aliases=("Ngân hàng Chính sách xã hội tỉnh", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh"),
    ),
    E("THUE", "Thuế tỉnh", K.OTHER, aliases=("Cục Thuế tỉnh",)),
    E("QLTT", "Chi cục Quản lý thị trường", K.OTHER, aliases=("Cục Quản lý thị trường tỉnh",)),
    # Armed forces.
    E(
        "BCHQS",
        "Bộ Chỉ huy Quân sự tỉnh",
        K.ARMED,
        requested=True,
        aliases=("Bộ chỉ huy Quân sự tỉnh", "BCH Quân sự tỉnh", "Bộ CHQS tỉnh"),
    ),
    E(
        "BDBP",
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        K.ARMED,
        requested=True,
        aliases=(
            "Bộ chỉ huy Bộ đội Biên phòng tỉnh",
            "Ban chỉ huy Bộ đội Biên phòng tỉnh",
            "BCH Bộ đội Biên phòng tỉnh",
            "BĐBP tỉnh",
            "Bộ đội Biên phòng",
        ),
    ),
    E(
        "CSB",
        "Bộ Tư lệnh Vùng Cảnh sát biển",
        K.ARMED,
        requested=True,
        aliases=("Bộ Tư lệnh Vùng Cảnh sát biển", "Cảnh sát biển"),
    ),
    # Procuracy, courts, customs: outside the committee's command.
    E(
        "VKS",
        "Viện kiểm sát nhân dân tỉnh",
        K.JUDICIAL,
        requested=True,
        aliases=("Viện Kiểm sát nhân dân tỉnh", "Viện kiểm sát nhân dân", "VKSND tỉnh"),
    ),
    E(
        "TAND",
        "Tòa án nhân dân tỉnh",
        K.JUDICIAL,
        requested=True,
        aliases=("Toà án nhân dân tỉnh", "Tòa án nhân dân", "TAND tỉnh"),
    ),
    E("HQ", "Chi cục Hải quan khu vực", K.CUSTOMS, requested=True, aliases=("Hải quan tỉnh", "Cục Hải quan tỉnh")),
    E(
        "HQCK",
        "Chi cục Hải quan các cửa khẩu",
        K.CUSTOMS,
        requested=True,
        aliases=("Hải quan cửa khẩu", "Chi cục Hải quan cửa khẩu", "Hải quan các cửa khẩu"),
    ),
    # The Front and mass organisations.
    E(
        "MTTQ",
        "Ủy ban MTTQ Việt Nam tỉnh",
        K.MASS_ORG,
        requested=True,
        aliases=(
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
            "Ủy ban MTTQ tỉnh",
            "Ủy ban Mặt trận Tổ quốc tỉnh",
            "Ủy ban MTTQVN tỉnh",
        ),
    ),
    E(
        "TVMTTQ",
        "Các tổ chức thành viên MTTQ",
        K.GROUP,
        requested=True,
        aliases=("các tổ chức thành viên", "các tổ chức chính trị - xã hội", "các đoàn thể chính trị - xã hội"),
    ),
    E("LDLD", "Liên đoàn Lao động tỉnh", K.MASS_ORG, aliases=("Liên đoàn lao động tỉnh", "LĐLĐ tỉnh")),
    E(
        "TD",
        "Tỉnh đoàn",
        K.MASS_ORG,
        aliases=(
            "Đoàn Thanh niên cộng sản Hồ Chí Minh tỉnh",
            "Đoàn TNCS Hồ Chí Minh tỉnh",
            "Tỉnh Đoàn",
        ),
    ),
    E("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", K.MASS_ORG, aliases=("Hội LHPN tỉnh",)),
    E("HND", "Hội Nông dân tỉnh", K.MASS_ORG),
    E("HCCB", "Hội Cựu chiến binh tỉnh", K.MASS_ORG),
    # Media.
    E(
        "BAO",
        "Báo và Phát thanh, Truyền hình {province}",
        K.MEDIA,
        aliases=("Báo và PTTH {province}", "Báo và Phát thanh, Truyền hình tỉnh"),
    ),
    # Government above and beside the agencies (recipients of reports, issuers).
    E("UBNDT", "UBND tỉnh", K.GOVERNMENT, aliases=("Ủy ban nhân dân tỉnh", "UBND thành phố")),
    E("HDNDT", "HĐND tỉnh", K.GOVERNMENT, aliases=("Hội đồng nhân dân tỉnh",)),
    E("CP", "Chính phủ", K.GOVERNMENT),
    E("BCA", "Bộ Công an", K.GOVERNMENT),
    # Communes as a group.
    E(
        "UBNDX",
        "UBND cấp xã",
        K.COMMUNE_GROUP,
        aliases=(
            "Ủy ban nhân dân cấp xã",
            "Ủy ban nhân dân các xã, phường",
            "Ủy ban nhân dân xã, phường",
            "UBND các xã, phường",
            "UBND các xã, phường, đặc khu",
            "Ủy ban nhân dân các xã, phường, đặc khu",
            "UBND các xã, phường, thị trấn",
            "Ủy ban nhân dân các xã, phường, thị trấn",
            "Chủ tịch Ủy ban nhân dân các xã, phường",
            "Chủ tịch Ủy ban nhân dân cấp xã",
            "Chủ tịch UBND cấp xã",
            "UBND xã, phường",
            "UBND xã, phường, thị trấn",
            "Ủy ban nhân dân xã, phường, thị trấn",
            "UBND xã, phường, đặc khu",
            "Ủy ban nhân dân xã, phường, đặc khu",
            "UBND các phường, xã",
            "Ủy ban nhân dân các phường, xã",
            "Chủ tịch UBND các xã, phường",
            "UBND các xã, phường, thị trấn, đặc khu",
            "Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu",
            "Chủ tịch UBND các xã, phường, đặc khu",
        ),
    ),
    # Catch-all groups that plans address.
    E(
        "SBN",
        "Các sở, ban, ngành",
        K.GROUP,
        aliases=(
            "Các sở, ban, ngành khác",
            "các sở, ban, ngành tỉnh",
            "các sở, ban, ngành, đoàn thể",
            "Các sở, ban, ngành, đoàn thể còn lại",
            "Giám đốc các sở, Thủ trưởng các ban, ngành, đoàn thể tỉnh",
            "Các sở, ngành chủ trì Dự án, Tiểu dự án thành phần",
            "Các cơ quan có liên quan",
            "Các đoàn thể",
            "các sở, ngành",
            "các cơ quan, đơn vị",
            "Các sở, ban, ngành, đoàn thể tỉnh",
            "Các sở, ban, ngành, đoàn thể cấp tỉnh",
            "Các cơ quan liên quan",
            "Các đơn vị liên quan",
            "Các cơ quan, đơn vị liên quan",
            "Các cơ quan, đơn vị có liên quan",
            "Các sở, ngành liên quan",
            "Các sở, ngành, đoàn thể",
            "Thủ trưởng các sở, ban, ngành",
            "Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh",
            "Giám đốc các sở, Thủ trưởng các ban, ngành",
            "Các sở",
        ),
    ),
    E("DP", "Các địa phương", K.GROUP, aliases=("địa phương",)),
    E("CSGD", "Các cơ sở giáo dục", K.GROUP, aliases=("các cơ sở giáo dục trên địa bàn tỉnh",)),
    # Legacy bodies named by plans written before the 2025 reforms.
    E(
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        K.DEPARTMENT,
        legacy=True,
        aliases=("Sở Lao động, Thương binh và Xã hội", "Sở LĐTB&XH", "Sở LĐ-TB&XH"),
    ),
    E("STTTT", "Sở Thông tin và Truyền thông", K.DEPARTMENT, legacy=True, aliases=("Sở TT&TT",)),
    E("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", K.DEPARTMENT, legacy=True, aliases=("Sở NN&PTNT",)),
    E("STNMT", "Sở Tài nguyên và Môi trường", K.DEPARTMENT, legacy=True, aliases=("Sở TN&MT",)),
    E("SKHDT", "Sở Kế hoạch và Đầu tư", K.DEPARTMENT, legacy=True, aliases=("Sở KH&ĐT",)),
    E("SGTVT", "Sở Giao thông vận tải", K.DEPARTMENT, legacy=True),
    E("BDT", "Ban Dân tộc tỉnh", K.DEPARTMENT, legacy=True),
    E(
        "DPTTH",
        "Đài Phát thanh và Truyền hình tỉnh",
        K.MEDIA,
        legacy=True,
        aliases=("Đài PT-TH tỉnh", "Đài Phát thanh - Truyền hình tỉnh"),
    ),
    E("BAOT", "Báo {province}", K.MEDIA, legacy=True),
    E(
        "UBNDH",
        "UBND cấp huyện",
        K.GOVERNMENT,
        legacy=True,
        aliases=(
            "Ủy ban nhân dân cấp huyện",
            "UBND các huyện, thành phố",
            "Ủy ban nhân dân các huyện, thành phố",
            "UBND các huyện, thị xã, thành phố",
            "Ủy ban nhân dân các huyện, thị xã, thành phố",
            "UBND các huyện, thành phố, thị xã",
            "Ủy ban nhân dân các huyện, thành phố, thị xã",
            "UBND các huyện, thị xã",
            "Ủy ban nhân dân các huyện, thị xã",
            "UBND các huyện, thị",
            "UBND các huyện, thị, thành phố",
            "Ủy ban nhân dân các huyện, thị, thành phố",
            "Chủ tịch UBND các huyện, thành phố",
            "Chủ tịch Ủy ban nhân dân các huyện, thành phố",
            "Chủ tịch UBND các huyện, thị xã, thành phố",
            "Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố",
        ),
    ),
    E(
        "CAH",
        "Công an cấp huyện",
        K.POLICE,
        legacy=True,
        aliases=("Công an các huyện, thành phố", "Công an các huyện, thị xã, thành phố"),
    ),
    # Commune police (printed as an addressee since the 2025 reform) and other provincial bodies
    # plans name.
    E(
        "CAX",
        "Công an cấp xã",
        K.POLICE,
        aliases=(
            "Công an các xã, phường",
            "Công an xã, phường",
            "Công an các xã, phường, đặc khu",
            "Công an các xã, phường, thị trấn",
            "Công an xã, phường, thị trấn",
        ),
    ),
    E(
        "BQLKCN",
        "Ban Quản lý các khu công nghiệp tỉnh",
        K.OTHER,
        aliases=("Ban Quản lý các Khu công nghiệp tỉnh", "BQL các KCN tỉnh"),
    ),
    E("HCTD", "Hội Chữ thập đỏ tỉnh", K.MASS_ORG),
)


def catalogue_for(province_short_name: str) -> list[CatalogueEntry]:
    """The standard catalogue rendered for one province."""
    return [entry.render(province_short_name) for entry in STANDARD_AGENCIES]


# The body that took over each legacy one in the 2025 reforms (by code): proposed to the Standing
# Office when a plan still names the old body. Labour-War Invalids went to Nội vụ (labour and
# employment), Information-Communications to Khoa học và Công nghệ, Agriculture and Natural
# Resources to Nông nghiệp và Môi trường, Planning-Investment to Tài chính, Transport to Xây dựng,
# the Ethnic Committee to Dân tộc và Tôn giáo, the provincial paper and broadcaster to the merged
# Báo và Phát thanh, Truyền hình; district bodies to the commune level.
LEGACY_SUCCESSORS: dict[str, str] = {
    "SLDTBXH": "SNV",
    "STTTT": "SKHCN",
    "SNNPTNT": "SNNMT",
    "STNMT": "SNNMT",
    "SKHDT": "STC",
    "SGTVT": "SXD",
    "BDT": "SDTTG",
    "DPTTH": "BAO",
    "BAOT": "BAO",
    "UBNDH": "UBNDX",
    "CAH": "CAX",
}
