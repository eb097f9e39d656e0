// BinXML token bytes (MS-EVEN6 §3.1.4.7). The 0x40 bit on some tokens means "more data follows"
// (attributes present / another attribute follows); we mask it where it does not change the layout.

export const Token = {
  EndOfFragment: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CDataSection: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PITarget: 0x0a,
  PIData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
  MoreBit: 0x40,
} as const;

/** Node kinds of the parsed element tree (the IR both the XML and the JSON views are built from). */
export const Kind = {
  Element: 0,
  Text: 1,
  Subst: 2,
  CharRef: 3,
  EntityRef: 4,
  CData: 5,
  PI: 6,
  Instance: 7,
} as const;
