"""The two-letter language subtags and the region subtags that langcodes holds valid, so that the
usual tags (``en``, ``pt-BR``, ``es-419``) are known valid without importing langcodes, whose
registry takes about 30 ms to load, a sixth of a command's start-up; any other tag is asked of
langcodes. ``tests/test_language_subtags.py`` checks both sets against langcodes, and that every
pairing of the two is valid, so an update of langcodes that changes them fails there."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LANGUAGES = _words(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
    hy hz ia id ie ig ii ik in io is it iu iw ja ji jv jw ka kg ki kj kk kl km kn ko kr ks ku kv
    kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr
    nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq
    sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
    yo za zh zu
    """
)

REGIONS = _words(
    """
    AA AC AD AE AF AG AI AL AM AN AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
    BO BQ BR BS BT BU BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CR CS CT CU CV CW CX CY
    CZ DD DE DG DJ DK DM DO DY DZ EA EC EE EG EH ER ES ET EU EZ FI FJ FK FM FO FQ FR FX GA GB GD
    GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU HV IC ID IE IL IM IN IO IQ
    IR IS IT JE JM JO JP JT KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA
    MC MD ME MF MG MH MI MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NH NI NL
    NO NP NQ NR NT NU NZ OM PA PC PE PF PG PH PK PL PM PN PR PS PT PU PW PY PZ QA QM QN QO QP QQ
    QR QS QT QU QV QW QX QY QZ RE RH RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS
    ST SU SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TP TR TT TV TW TZ UA UG UK UM UN US UY
    UZ VA VC VD VE VG VI VN VU WF WK WS XA XB XC XD XE XF XG XH XI XJ XK XL XM XN XO XP XQ XR XS
    XT XU XV XW XX XY XZ YD YE YT YU ZA ZM ZR ZW ZZ 001 002 003 004 005 008 009 010 011 012 013
    014 015 016 017 018 019 020 021 024 028 029 030 031 032 034 035 036 039 040 044 048 050 051
    052 053 054 056 057 060 061 062 064 068 070 072 074 076 084 086 090 092 096 100 104 108 112
    116 120 124 132 136 140 142 143 144 145 148 150 151 152 154 155 156 158 162 166 170 172 174
    175 178 180 184 188 191 192 196 200 202 203 204 208 212 214 218 222 226 230 231 232 233 234
    238 239 242 246 248 249 250 254 258 260 262 266 268 270 275 276 278 280 288 292 296 300 304
    308 312 316 320 324 328 332 334 336 340 344 348 352 356 360 364 368 372 376 380 384 388 392
    398 400 404 408 410 414 417 418 419 422 426 428 430 434 438 440 442 446 450 454 458 462 466
    470 474 478 480 484 492 496 498 499 500 504 508 512 516 520 524 528 530 531 532 533 534 535
    536 540 548 554 558 562 566 570 574 578 580 581 582 583 584 585 586 591 598 600 604 608 612
    616 620 624 626 630 634 638 642 643 646 652 654 659 660 662 663 666 670 674 678 682 686 688
    690 694 702 703 704 705 706 710 716 720 724 728 729 732 736 740 744 748 752 756 760 762 764
    768 772 776 780 784 788 792 795 796 798 800 804 807 810 818 826 830 831 832 833 834 840 850
    854 858 860 862 876 882 886 887 890 891 894 958 959 960 962 963 964 965 966 967 968 969 970
    971 972 973 974 975 976 977 978 979 980 981 982 983 984 985 986 987 988 989 990 991 992 993
    994 995 996 997 998 999
    """
)


def known_valid(tag: str) -> bool:
    """Whether ``tag`` is a language, or a language and a region, from the sets above: valid, as
    langcodes says. False says nothing: the tag must be asked of langcodes."""
    language, _dash, region = tag.partition("-")
    return language in LANGUAGES and (not region or region in REGIONS)
