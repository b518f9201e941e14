import pytest

from minsheng.domain.service_domains import DOMAINS, classify_domain, strip_enumeration


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.code)
def test_the_nine_names_classify_as_themselves(domain) -> None:
    assert classify_domain(domain.name_zh) is domain


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("一、婴幼儿照护服务", "childcare"),
        ("（二）现代教育服务", "education"),
        ("三、就业创业服务", "employment"),
        ("四、卫生健康服务", "health_care"),
        ("五、幸福养老服务", "elderly_care"),
        ("六、城乡宜居服务", "housing"),
        ("七、兜底保障服务", "assistance"),
        ("八、拥军优抚服务", "veterans"),
        ("九、文化体育服务", "culture_sports"),
        ("文 体 服 务 保障".replace(" ", ""), "culture_sports"),
        # key-project names carry their domain in the facility they build
        ("城区学校扩容工程", "education"),
        ("公办幼儿园建设", "education"),
        ("县级儿童医院建设", "health_care"),
        ("乡镇卫生院提升", "health_care"),
        ("困境儿童关爱保护", "childcare"),
        ("公共图书馆新馆", "culture_sports"),
        ("城镇老旧小区改造", "housing"),
        ("城乡低保提标", "assistance"),
    ],
)
def test_local_renamings_map_to_the_nine(label: str, code: str) -> None:
    found = classify_domain(label)
    assert found is not None and found.code == code


def test_unknown_labels_are_not_guessed() -> None:
    assert classify_domain("其他事项") is None
    assert classify_domain(None) is None


def test_enumeration_prefixes_are_stripped() -> None:
    assert strip_enumeration("（十二）住有所居") == "住有所居"
    assert strip_enumeration("3. 学有所教") == "学有所教"
