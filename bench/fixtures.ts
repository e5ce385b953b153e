// Deterministic realistic purchase events for the benchmarks (docs/BENCHMARKS.md "The corpus" says what they hold):
// shoppers from the US, Canada and the Caribbean (the whole NANP), the UK, Germany, France, India, Brazil and
// Australia, typing phones, emails, names and addresses the way people do, some of them invalid; public IPv4 and
// IPv6 addresses; Meta, TikTok, Google and Pinterest click ids and cookies on the share of events that carry them.
// Seeded, so runs compare like with like.
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rnd = () => number;
const pick = <T>(rnd: Rnd, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
const chance = (rnd: Rnd, p: number): boolean => rnd() < p;
const int = (rnd: Rnd, min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
/** `n` random digits, the first drawn from `first` (a string of allowed digits). */
function digits(rnd: Rnd, n: number, first = '0123456789'): string {
  let s = n > 0 ? pick(rnd, first.split('')) : '';
  for (let i = 1; i < n; i++) s += String(Math.floor(rnd() * 10));
  return s;
}
/** Weighted choice: `[weight, value]` pairs, weights summing to anything. */
function weighted<T>(rnd: Rnd, table: readonly (readonly [number, T])[]): T {
  let r = rnd() * table.reduce((sum, [w]) => sum + w, 0);
  for (const [w, v] of table) if ((r -= w) < 0) return v;
  return table[table.length - 1]![1];
}

// ---- phones ----

// NANP area codes in service (US, Canada and the Caribbean, as assigned in 2026); most shoppers have one of these.
const NANP_AREAS = (
  '201 202 203 204 205 206 207 208 209 210 212 213 214 215 216 217 218 219 220 223 224 225 226 227 228 229 231 234 ' +
  '236 239 240 242 246 248 249 250 251 252 253 254 256 260 262 263 264 267 268 269 270 272 276 279 281 284 289 301 ' +
  '302 303 304 305 306 307 308 309 310 312 313 314 315 316 317 318 319 320 321 323 325 326 330 331 332 334 336 337 ' +
  '339 340 341 343 345 346 347 351 352 354 360 361 364 365 367 368 380 382 385 386 401 402 403 404 405 406 407 408 ' +
  '409 410 412 413 414 415 416 417 418 419 423 424 425 430 431 432 434 435 437 438 440 441 442 443 445 447 448 450 ' +
  '458 463 464 468 469 470 473 474 475 478 479 480 484 501 502 503 504 505 506 507 508 509 510 512 513 514 515 516 ' +
  '517 518 519 520 530 531 534 539 540 541 548 551 557 559 561 562 563 564 567 570 571 572 573 574 575 579 580 581 ' +
  '582 584 585 586 587 601 602 603 604 605 606 607 608 609 610 612 613 614 615 616 617 618 619 620 623 626 628 629 ' +
  '630 631 636 639 640 641 646 647 649 650 651 656 657 658 659 660 661 662 664 667 669 670 671 672 678 680 681 682 ' +
  '683 684 689 701 702 703 704 705 706 707 708 709 712 713 714 715 716 717 718 719 720 724 725 726 727 730 731 732 ' +
  '734 737 740 742 743 747 753 754 757 758 760 762 763 765 767 769 770 771 772 773 774 775 778 779 780 781 782 784 ' +
  '785 786 787 801 802 803 804 805 806 807 808 809 810 812 813 814 815 816 817 818 819 820 825 826 828 829 830 831 ' +
  '832 835 838 839 840 843 845 847 848 849 850 854 856 857 858 859 860 862 863 864 865 867 868 869 870 872 873 876 ' +
  '878 879 901 902 903 904 905 906 907 908 909 910 912 913 914 915 916 917 918 919 920 925 928 929 930 931 934 936 ' +
  '937 938 939 940 941 943 945 947 948 949 951 952 954 956 959 970 971 972 973 975 978 979 980 983 984 985 986 989'
).split(' ');

/** A NANP number as typed: 94% in an area code in service, the rest anywhere in [2-9]XX (many unassigned). */
function nanpPhone(rnd: Rnd): string {
  const area = chance(rnd, 0.94) ? pick(rnd, NANP_AREAS) : digits(rnd, 3, '23456789');
  // Exchanges are [2-9]XX; a few shoppers type one starting with 0 or 1 (invalid).
  const exchange = chance(rnd, 0.99) ? digits(rnd, 3, '23456789') : digits(rnd, 3, '01');
  const line = digits(rnd, 4);
  return weighted(rnd, [
    [24, `(${area}) ${exchange}-${line}`],
    [18, `+1${area}${exchange}${line}`],
    [12, `1-${area}-${exchange}-${line}`],
    [16, `${area}${exchange}${line}`],
    [10, `${area}-${exchange}-${line}`],
    [6, `${area}.${exchange}.${line}`],
    [6, `+1 ${area} ${exchange} ${line}`],
    [5, `+1(${area})-${exchange}-${line}`], // Shopify's billing_address.phone
    [2, `1${area}${exchange}${line}`],
    [1, `(${area}) ${exchange}-${line} ext. ${digits(rnd, 3)}`],
  ]);
}

function ukPhone(rnd: Rnd): string {
  const mobile = `7${digits(rnd, 1, '45789')}${digits(rnd, 8)}`; // 07[4-9]xx xxxxxx
  const london = `20${digits(rnd, 1, '378')}${digits(rnd, 7)}`; // 020 [378]xxx xxxx
  const manchester = `161${digits(rnd, 1, '23456789')}${digits(rnd, 6)}`;
  const national = weighted(rnd, [[6, mobile], [3, london], [1, manchester]]);
  const spaced = national.startsWith('7') ? `${national.slice(0, 4)} ${national.slice(4)}` : `${national.slice(0, 2)} ${national.slice(2, 6)} ${national.slice(6)}`;
  return weighted(rnd, [
    [30, `0${spaced}`],
    [25, `+44 ${spaced}`],
    [15, `+44${national}`],
    [10, `+44 (0)${spaced}`],
    [8, `0044 ${spaced}`],
    [7, `0${national}`],
    [5, `44${national}`],
  ]);
}

function dePhone(rnd: Rnd): string {
  const mobile = `1${pick(rnd, ['51', '52', '57', '59', '60', '62', '70', '71', '72', '73', '74', '75', '76', '77', '78', '79'])}${digits(rnd, 7)}`;
  const berlin = `30${digits(rnd, 8, '123456789')}`;
  const munich = `89${digits(rnd, 8, '123456789')}`;
  const national = weighted(rnd, [[6, mobile], [2, berlin], [2, munich]]);
  const split = national.startsWith('1') ? 3 : 2;
  const spaced = `${national.slice(0, split)} ${national.slice(split)}`;
  return weighted(rnd, [
    [35, `0${spaced}`],
    [25, `+49 ${spaced}`],
    [15, `+49${national}`],
    [10, `+49 (0)${spaced}`],
    [8, `0${national.slice(0, split)}/${national.slice(split)}`],
    [7, `0049 ${spaced}`],
  ]);
}

function frPhone(rnd: Rnd): string {
  const national = `${pick(rnd, ['6', '7', '1', '4', '9'])}${digits(rnd, 8)}`;
  const pairs = national.slice(1).match(/../g)!.join(' ');
  return weighted(rnd, [
    [35, `0${national[0]} ${pairs}`],
    [25, `+33 ${national[0]} ${pairs}`],
    [15, `+33${national}`],
    [10, `0${national[0]}.${pairs.replaceAll(' ', '.')}`],
    [10, `+33 (0)${national[0]} ${pairs}`],
    [5, `0${national}`],
  ]);
}

function inPhone(rnd: Rnd): string {
  const national = `${digits(rnd, 1, '6789')}${digits(rnd, 9)}`;
  return weighted(rnd, [
    [30, `+91 ${national.slice(0, 5)} ${national.slice(5)}`],
    [25, national],
    [20, `+91${national}`],
    [10, `0${national}`],
    [10, `+91-${national}`],
    [5, `91${national}`],
  ]);
}

function brPhone(rnd: Rnd): string {
  const ddd = pick(rnd, ['11', '21', '31', '41', '51', '61', '71', '81', '19', '27']);
  const mobile = chance(rnd, 0.8);
  const subscriber = mobile ? `9${digits(rnd, 1, '6789')}${digits(rnd, 7)}` : `${digits(rnd, 1, '2345')}${digits(rnd, 7)}`;
  const dashed = `${subscriber.slice(0, -4)}-${subscriber.slice(-4)}`;
  return weighted(rnd, [
    [30, `+55 ${ddd} ${dashed}`],
    [25, `(${ddd}) ${dashed}`],
    [20, `+55${ddd}${subscriber}`],
    [10, `${ddd}${subscriber}`],
    [10, `0${ddd} ${dashed}`],
    [5, `+55 (${ddd}) ${dashed}`],
  ]);
}

function auPhone(rnd: Rnd): string {
  const mobile = `4${digits(rnd, 1, '0123')}${digits(rnd, 7)}`;
  const landline = `${pick(rnd, ['29', '39', '73', '89'])}${digits(rnd, 7)}`;
  const national = chance(rnd, 0.7) ? mobile : landline;
  const spaced = national.startsWith('4') ? `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}` : `${national[0]} ${national.slice(1, 5)} ${national.slice(5)}`;
  return weighted(rnd, [
    [35, `0${spaced}`],
    [25, `+61 ${spaced}`],
    [20, `+61${national}`],
    [10, `0${national}`],
    [10, national.startsWith('4') ? `(0${national.slice(0, 3)}) ${national.slice(3)}` : `(0${national[0]}) ${national.slice(1, 5)} ${national.slice(5)}`],
  ]);
}

/** What shoppers leave in a phone field that no rule can turn into a number. */
const JUNK_PHONES = ['555-625-1199', '0000000000', '123-456-7890', '1234', 'n/a', '555-0100', '999 999 9999', '+1 234', '(000) 000-0000', '+44 20 7946'];

// ---- names, emails, addresses ----

const FIRST = ['Jane', 'John', 'María', 'Li', 'Anne-Marie', 'Sam', 'Zoë', 'JOSÉ', 'Jose\u0301', 'Łukasz', 'Priya', 'João', 'Olivia', 'Noah', 'Mary Ann', 'Chloé', 'Aarav', 'Lena', '山田', 'Siobhán', '  Emma ', 'Ahmed'];
const LAST = ['Doe', 'Smith', 'García', 'Wang', 'Van der Berg', 'Müller', 'Ng', 'Brown', "O'Brien", 'Zoë  Smith-Jones, Jr.', 'Dubois', 'Sharma', 'da Silva', 'Nguyen', 'Kowalski', 'Johnson', 'Schmidt', 'Patel', 'Taylor', 'Lefèvre'];
const MAILBOXES = [
  'gmail.com', 'gmail.com', 'gmail.com', 'Gmail.com', 'googlemail.com', 'yahoo.com', 'outlook.com', 'hotmail.co.uk', 'icloud.com',
  'gmx.de', 'web.de', 'orange.fr', 'free.fr', 'rediffmail.com', 'uol.com.br', 'bigpond.com', 'Example.com', 'shop.example.org', 'exämple.de', 'xn--bcher-kva.xn--p1ai',
];

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '');
}

function email(rnd: Rnd, first: string, last: string, i: number): string {
  const f = ascii(first) || 'shopper';
  const l = ascii(last) || 'x';
  const domain = pick(rnd, MAILBOXES);
  const local = weighted(rnd, [
    [40, `${f}.${l}${i % 1000}`],
    [15, `${f[0]}${l}${i % 97}`.toLowerCase()],
    [10, `${f}.${l}+shop`],
    [10, `${f}_${l}${1970 + (i % 40)}`],
    [5, `${f[0]}.${f.slice(1)}.${l}`.toLowerCase()], // dotted gmail spelling
    [5, `${first.trim().toLowerCase()}.${l}${i % 100}`], // unicode local part (josé@…)
    [15, `${l}${i}`],
  ]);
  const address = `${local}@${domain}`;
  return weighted(rnd, [
    [80, address],
    [12, `  ${address} `],
    [5, address.toUpperCase()],
    [3, pick(rnd, [`${local}.${domain}`, `${local}@@${domain}`, `${local}@${domain.split('.')[0]}`, `${local} x@${domain}`])], // typos: invalid
  ]);
}

interface Place {
  country: string;
  /** How shoppers write the country: code, alpha-3, name. */
  countryAs: readonly string[];
  cities: readonly (readonly [city: string, state: string, zip: (rnd: Rnd) => string])[];
  phone: (rnd: Rnd) => string;
  currency: string;
  streets: readonly string[];
}

function placeTable(): Place[] {
  const usZip = (base: number) => (rnd: Rnd): string => (chance(rnd, 0.15) ? `${String(base + int(rnd, 0, 99)).padStart(5, '0')}-${digits(rnd, 4)}` : String(base + int(rnd, 0, 99)).padStart(5, '0'));
  const fixed = (zip: string) => (): string => zip;
  const us: Place['cities'] = [
    ['Menlo Park', 'California', usZip(94000)], ['San Francisco', 'CA', usZip(94100)], ['New York', 'new york', usZip(10000)], ['Brooklyn', 'NY', usZip(11200)],
    ['Austin', 'TX', usZip(73301)], ['Houston', 'Texas', usZip(77000)], ['Chicago', 'IL', usZip(60600)], ['Louisville', 'Kentucky', usZip(40200)],
    ['Seattle', 'WA', usZip(98100)], ['Miami', 'Florida', usZip(33100)], ['Portland', 'Oregon', usZip(97200)], ['Washington', 'District of Columbia', usZip(20000)],
    ["Coeur d'Alene", 'ID', usZip(83800)], ['Denver', 'CO', usZip(80200)], ['Boston', 'MA', usZip(2100)], ['Atlanta', 'georgia', usZip(30300)],
  ];
  const ca: Place['cities'] = [['Toronto', 'Ontario', fixed('M5V 2T6')], ['Montréal', 'Québec', fixed('H2X 1Y4')], ['Vancouver', 'BC', fixed('V6B 1A1')], ['Ottawa', 'ON', fixed('K1A 0B1')]];
  const caribbean: Place['cities'] = [['San Juan', 'PR', fixed('00901')], ['Kingston', '', fixed('')], ['Nassau', '', fixed('')]];
  return [
    { country: 'US', countryAs: ['US', 'United States', 'USA', 'us', 'United States of America'], cities: us, phone: nanpPhone, currency: 'USD', streets: ['1 Hacker Way', '350 Fifth Avenue', '1600 Pennsylvania Ave NW', '742 Evergreen Terrace', 'Apt. 4B, 221 W 42nd St'] },
    { country: 'CA', countryAs: ['CA', 'Canada', 'CAN'], cities: ca, phone: nanpPhone, currency: 'CAD', streets: ['290 Bremner Blvd', '1000 Rue de la Gauchetière O.'] },
    { country: 'PR', countryAs: ['PR', 'Puerto Rico'], cities: caribbean.slice(0, 1), phone: nanpPhone, currency: 'USD', streets: ['Calle Fortaleza 52'] },
    { country: 'JM', countryAs: ['JM', 'Jamaica'], cities: caribbean.slice(1, 2), phone: nanpPhone, currency: 'JMD', streets: ['14 Hope Road'] },
    { country: 'GB', countryAs: ['GB', 'UK', 'United Kingdom', 'GBR'], cities: [['London', '', fixed('SW1A 1AA')], ['Manchester', 'Greater Manchester', fixed('M1 1AE')], ['Edinburgh', 'Scotland', fixed('EH1 1YZ')]], phone: ukPhone, currency: 'GBP', streets: ['10 Downing Street', 'Flat 3, 27 Baker St'] },
    { country: 'DE', countryAs: ['DE', 'Germany', 'Deutschland', 'deu'], cities: [['Berlin', 'Berlin', fixed('10115')], ['München', 'Bayern', fixed('80331')], ['Köln', 'Nordrhein-Westfalen', fixed('50667')]], phone: dePhone, currency: 'EUR', streets: ['Unter den Linden 77', 'Marienplatz 8'] },
    { country: 'FR', countryAs: ['FR', 'France', 'FRA'], cities: [['Paris', 'Île-de-France', fixed('75008')], ['Lyon', 'Auvergne-Rhône-Alpes', fixed('69002')]], phone: frPhone, currency: 'EUR', streets: ['55 Rue du Faubourg Saint-Honoré', '12 Quai Saint-Antoine'] },
    { country: 'IN', countryAs: ['IN', 'India', 'IND'], cities: [['Mumbai', 'Maharashtra', fixed('400001')], ['Bengaluru', 'Karnataka', fixed('560001')], ['New Delhi', 'Delhi', fixed('110001')]], phone: inPhone, currency: 'INR', streets: ['Nariman Point, Marine Drive', '12 MG Road'] },
    { country: 'BR', countryAs: ['BR', 'Brazil', 'Brasil'], cities: [['São Paulo', 'SP', fixed('01310-100')], ['Rio de Janeiro', 'RJ', fixed('20040-020')]], phone: brPhone, currency: 'BRL', streets: ['Avenida Paulista, 1578', 'Rua do Ouvidor 50'] },
    { country: 'AU', countryAs: ['AU', 'Australia', 'AUS'], cities: [['Sydney', 'NSW', fixed('2000')], ['Melbourne', 'Victoria', fixed('3000')], ['Brisbane', 'QLD', fixed('4000')]], phone: auPhone, currency: 'AUD', streets: ['1 Macquarie St', 'Level 5, 120 Collins St'] },
  ];
}

// Shares of shoppers by address country: a North American shop that also sells abroad.
const PLACE_WEIGHTS: Record<string, number> = { US: 58, CA: 8, PR: 1, JM: 1, GB: 9, DE: 6, FR: 5, IN: 5, BR: 4, AU: 3 };

// ---- IPs and user agents ----

function publicIpv4(rnd: Rnd): string {
  for (;;) {
    const a = int(rnd, 1, 223);
    const b = int(rnd, 0, 255);
    if (a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) continue;
    return `${a}.${b}.${int(rnd, 0, 255)}.${int(rnd, 1, 254)}`;
  }
}

const hextet = (rnd: Rnd): string => int(rnd, 0, 0xffff).toString(16);
// Global unicast prefixes of large access networks (mobile carriers and ISPs hand out /64s from them).
const V6_PREFIXES = ['2600:1700', '2601:647', '2603:8000', '2a01:cb00', '2a02:8108', '2a00:23c5', '2401:4900', '2804:14c', '2001:8003', '2607:fb90'];

function publicIpv6(rnd: Rnd): string {
  const host = [hextet(rnd), hextet(rnd), hextet(rnd), hextet(rnd)];
  const prefix = `${pick(rnd, V6_PREFIXES)}:${hextet(rnd)}:${hextet(rnd)}`;
  return chance(rnd, 0.2) ? `${prefix}::${host[3]}` : chance(rnd, 0.1) ? `${prefix}:${host.join(':')}`.toUpperCase() : `${prefix}:${host.join(':')}`;
}

function clientIp(rnd: Rnd): string {
  return weighted(rnd, [
    [66, () => publicIpv4(rnd)],
    [28, () => publicIpv6(rnd)],
    [3, () => `::ffff:${publicIpv4(rnd)}`], // a dual-stack socket's view of an IPv4 client
    [1, () => `${publicIpv4(rnd)}:${int(rnd, 1024, 65535)}`],
    [2, () => pick(rnd, ['10.0.3.17', '192.168.1.20', '172.31.5.4', '127.0.0.1'])], // the shop's own server: dropped
  ])();
}

const USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 356.0.0.29.89',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
];

// ---- click ids ----

const CLICK_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
function clickId(rnd: Rnd, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += CLICK_CHARS[Math.floor(rnd() * CLICK_CHARS.length)];
  return s;
}

function clickIds(rnd: Rnd, now: number): Record<string, string> {
  const out: Record<string, string> = {};
  const cookieMs = (now - int(rnd, 60, 90 * 86_400)) * 1000;
  if (chance(rnd, 0.72)) out.fbp = `fb.${pick(rnd, ['1', '1', '2'])}.${cookieMs}.${digits(rnd, 10, '123456789')}`;
  if (chance(rnd, 0.16)) {
    const fbclid = clickId(rnd, 62);
    // Meta's param builder appends a fifth segment; a few integrations send a truncated cookie (malformed).
    out.fbc = weighted(rnd, [
      [85, `fb.1.${cookieMs + 1000}.${fbclid}`],
      [13, `fb.1.${cookieMs + 1000}.${fbclid}.AQQCAQIA`],
      [2, `fb.1.${String(cookieMs).slice(0, 10)}.${fbclid}`],
    ]);
  } else if (chance(rnd, 0.04)) out.fbclid = clickId(rnd, 62);
  if (chance(rnd, 0.3)) out.ttp = clickId(rnd, 27);
  if (chance(rnd, 0.06)) out.ttclid = `E.C.P.${clickId(rnd, 40)}`;
  if (chance(rnd, 0.14)) out.gclid = `Cj0KCQ${clickId(rnd, 80)}`;
  else if (chance(rnd, 0.03)) out[pick(rnd, ['gbraid', 'wbraid'])] = `0AAAAA${clickId(rnd, 30)}`;
  if (chance(rnd, 0.05)) out.epik = `dj0yJnU9${clickId(rnd, 48)}`;
  return out;
}

// ---- the event ----

const PRODUCTS = [
  { id: 'SKU-1', name: 'Mug', category: 'Kitchen', price: 14.5 },
  { id: 'SKU-2', name: 'Saucer', category: 'Kitchen', price: 9.95 },
  { id: 'TEE-BLK-M', name: 'T-shirt, black, M', category: 'Apparel', price: 29 },
  { id: 'HOOD-GRY-L', name: 'Hoodie', category: 'Apparel', price: 64.9 },
  { id: 'BOOK-42', name: 'Cookbook', category: 'Books', price: 32.5 },
  { id: 'CANDLE-3', name: 'Candle, fig', category: 'Home', price: 22 },
];

let places: Place[] | undefined;
let placeList: [number, Place][] | undefined;

export function purchaseEvent(i: number, rnd: () => number, now = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  places ??= placeTable();
  placeList ??= places.map((p) => [PLACE_WEIGHTS[p.country] ?? 1, p]);
  const place = weighted(rnd, placeList);
  const [city, state, zip] = pick(rnd, place.cities);
  const first = pick(rnd, FIRST);
  const last = pick(rnd, LAST);
  const user: Record<string, unknown> = {};
  if (chance(rnd, 0.97)) user.email = email(rnd, first, last, i);
  // 75% give a phone: their own country's mostly, some a foreign one (a traveller, a gift), a few junk.
  if (chance(rnd, 0.75)) {
    user.phone = weighted(rnd, [
      [90, () => place.phone(rnd)],
      [7, () => pick(rnd, places!).phone(rnd)],
      [3, () => pick(rnd, JUNK_PHONES)],
    ])();
  }
  if (chance(rnd, 0.92)) user.first_name = first;
  if (chance(rnd, 0.9)) user.last_name = last;
  if (chance(rnd, 0.6)) user.street = pick(rnd, place.streets);
  if (chance(rnd, 0.9)) user.city = city;
  if (state !== '' && chance(rnd, 0.9)) user.state = chance(rnd, 0.02) ? 'Ontario' : state; // "Ontario" in the US: invalid
  const postal = zip(rnd);
  if (postal !== '' && chance(rnd, 0.9)) user.zip = chance(rnd, 0.01) ? postal.slice(0, -1) : postal;
  if (chance(rnd, 0.95)) user.country = pick(rnd, place.countryAs);
  if (chance(rnd, 0.8)) user.external_id = `gid://shopify/Customer/${7_000_000_000 + i}`;
  user.client_ip_address = clientIp(rnd);
  user.client_user_agent = pick(rnd, USER_AGENTS);
  Object.assign(user, clickIds(rnd, now));

  const items = Array.from({ length: weighted(rnd, [[50, 1], [30, 2], [15, 3], [5, 5]]) }, () => {
    const p = pick(rnd, PRODUCTS);
    return { ...p, quantity: weighted(rnd, [[85, 1], [12, 2], [3, 4]]) };
  });
  const value = Math.round(items.reduce((sum, it) => sum + it.price * it.quantity, 0) * 100) / 100;
  return {
    event_name: 'purchase',
    event_time: now - Math.floor(rnd() * 3600),
    action_source: 'website',
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user,
    commerce: { value, currency: place.currency, order_id: String(100_000 + i), content_type: 'product', items },
  };
}
