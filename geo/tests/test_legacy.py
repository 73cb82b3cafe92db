from geo.reference import resolve_legacy


def test_an_old_commune_maps_to_its_2025_successor():
    r = resolve_legacy("Xã Ea Tu, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk")
    assert r.province_code == "66"
    assert r.commune_code is not None and len(r.commune_code) == 5


def test_a_merged_province_maps_to_the_new_one():
    r = resolve_legacy("Tỉnh Đắk Nông")
    assert r.province_name == "Tỉnh Lâm Đồng"
    assert r.commune_code is None


def test_nonsense_resolves_to_nothing_without_raising():
    r = resolve_legacy("không phải địa chỉ")
    assert r.province_code is None and r.commune_code is None
