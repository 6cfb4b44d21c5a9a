"""Grammatical gender of person names, from titles and a small first-name list.

Used only to keep "he" from resolving to a woman and "she" to a man; a name
not in the lists has unknown gender and agrees with either.
"""

from __future__ import annotations

__all__ = ["name_gender", "MASCULINE_NAMES", "FEMININE_NAMES", "MASCULINE_TITLES", "FEMININE_TITLES"]

#: Common masculine first names in English-language news.
MASCULINE_NAMES = frozenset(
    """
    aaron abdul abdullah adam adrian ahmed alan albert alberto alejandro alex alexander alexei ali
    andre andrew andrei andres angelo anthony antonio antony arnold arthur barack ben benjamin bernie
    bill billy bob boris brad brandon brett brian bruce carl carlos charles charlie chris christian
    christopher chuck cory craig dan daniel danny darren dave david dennis dick dmitry don donald
    doug douglas duncan dylan ed eddie edward emmanuel eric erik evan frank frederick gary gavin
    george gerald gordon greg gregory harold harry hassan henry hugh hussein ian ibrahim igor isaac
    ivan jack jacob jaime jair james jamie jared jason javier jeff jeffrey jeremy jerome jerry jim
    jimmy joe joel john johnny jon jonathan jorge jose joseph josh joshua juan julian justin kanye
    keith ken kenneth kevin kyle lance larry lee leo leonard liam lloyd louis luis luke
    marco marcus mario mark martin matt matthew michael miguel mike mitch mohamed mohammad mohammed
    muhammad narendra neil nicholas nick nicolas nigel noah oliver omar oscar pablo patrick paul
    pedro peter philip pierre rafael ralph ramon randy ray raymond recep reza richard rick robert
    roberto rodrigo roger ron ronald roy rudy russell ryan salman sam samuel scott sean sebastian
    sergei sergey shinzo simon stephen steve steven stuart ted terry thomas tim timothy todd tom
    tony travis tyler victor vincent vladimir walter wayne william xavier yasser yusuf zach
    """.split()
)

#: Common feminine first names in English-language news.
FEMININE_NAMES = frozenset(
    """
    abigail ada alexandria alice alicia alison amanda amber amy ana andrea angela angelina ann anna
    anne annie ashley barbara betsy betty beverly brenda brittany camila carla carmen carol caroline
    carolyn catherine cheryl chloe christina christine cindy claire claudia cynthia dana danielle
    deborah debbie denise diana diane donna dorothy elaine eleanor elena elizabeth ella ellen emily
    emma erin eva evelyn fatima fiona frances gabriela gina gloria grace greta hannah heather helen
    hillary ilhan irene isabel isabella jacinda jane janet janice jasmine jean jennifer jessica jill
    joan joanne josephine joyce judith judy julia julie karen kate katherine kathleen kathy katie
    kay kayleigh kelly kimberly kirsten kristen laura lauren leah linda lisa liz lori lucy lynn
    madeleine maria marie marine marilyn marine martha mary megan melania melissa michelle mira
    monica nadia nancy natalie natasha nicola nicole nikki olga olivia pamela patricia paula penny
    rachel rebecca rita rosa rose ruth sally samantha sandra sara sarah sharon shirley sophia sophie
    stephanie susan suzanne tanya teresa theresa tiffany tracy ursula valerie vanessa veronica
    victoria virginia vlada wendy yulia yvonne zoe
    """.split()
)

#: Titles that mark gender.
MASCULINE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "father", "brother", "sheikh", "emir"})
FEMININE_TITLES = frozenset({"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister"})


def name_gender(name: str, title: str = "") -> str | None:
    """Return ``"Masc"``, ``"Fem"`` or ``None`` for a person's name (and the title before it).

    >>> name_gender("Antony Blinken"), name_gender("Nancy Pelosi"), name_gender("Blinken")
    ('Masc', 'Fem', None)
    >>> name_gender("Smith", "Mrs.")
    'Fem'
    """
    for word in title.split():
        low = word.lower().rstrip(".")
        if low in MASCULINE_TITLES:
            return "Masc"
        if low in FEMININE_TITLES:
            return "Fem"
    first = name.split(" ")[0].lower().rstrip(".") if name else ""
    if first in MASCULINE_NAMES:
        return "Masc"
    if first in FEMININE_NAMES:
        return "Fem"
    return None
