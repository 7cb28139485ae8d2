// States, provinces and postal-code formats for the countries whose formats Latchkey checks.
// Subdivision codes are the ISO 3166-2 suffixes (US-CA → "CA").

type Region = { code: string; name: string };

const REGION_TABLE: Record<string, [code: string, name: string][]> = {
  US: [
    ["AL", "Alabama"], ["AK", "Alaska"], ["AZ", "Arizona"], ["AR", "Arkansas"], ["CA", "California"],
    ["CO", "Colorado"], ["CT", "Connecticut"], ["DE", "Delaware"], ["DC", "District of Columbia"],
    ["FL", "Florida"], ["GA", "Georgia"], ["HI", "Hawaii"], ["ID", "Idaho"], ["IL", "Illinois"],
    ["IN", "Indiana"], ["IA", "Iowa"], ["KS", "Kansas"], ["KY", "Kentucky"], ["LA", "Louisiana"],
    ["ME", "Maine"], ["MD", "Maryland"], ["MA", "Massachusetts"], ["MI", "Michigan"], ["MN", "Minnesota"],
    ["MS", "Mississippi"], ["MO", "Missouri"], ["MT", "Montana"], ["NE", "Nebraska"], ["NV", "Nevada"],
    ["NH", "New Hampshire"], ["NJ", "New Jersey"], ["NM", "New Mexico"], ["NY", "New York"],
    ["NC", "North Carolina"], ["ND", "North Dakota"], ["OH", "Ohio"], ["OK", "Oklahoma"], ["OR", "Oregon"],
    ["PA", "Pennsylvania"], ["RI", "Rhode Island"], ["SC", "South Carolina"], ["SD", "South Dakota"],
    ["TN", "Tennessee"], ["TX", "Texas"], ["UT", "Utah"], ["VT", "Vermont"], ["VA", "Virginia"],
    ["WA", "Washington"], ["WV", "West Virginia"], ["WI", "Wisconsin"], ["WY", "Wyoming"],
    ["AS", "American Samoa"], ["GU", "Guam"], ["MP", "Northern Mariana Islands"], ["PR", "Puerto Rico"],
    ["VI", "U.S. Virgin Islands"],
  ],
  CA: [
    ["AB", "Alberta"], ["BC", "British Columbia"], ["MB", "Manitoba"], ["NB", "New Brunswick"],
    ["NL", "Newfoundland and Labrador"], ["NS", "Nova Scotia"], ["NT", "Northwest Territories"],
    ["NU", "Nunavut"], ["ON", "Ontario"], ["PE", "Prince Edward Island"], ["QC", "Quebec"],
    ["SK", "Saskatchewan"], ["YT", "Yukon"],
  ],
  AU: [
    ["ACT", "Australian Capital Territory"], ["NSW", "New South Wales"], ["NT", "Northern Territory"],
    ["QLD", "Queensland"], ["SA", "South Australia"], ["TAS", "Tasmania"], ["VIC", "Victoria"],
    ["WA", "Western Australia"],
  ],
  DE: [
    ["BW", "Baden-Württemberg"], ["BY", "Bavaria"], ["BE", "Berlin"], ["BB", "Brandenburg"], ["HB", "Bremen"],
    ["HH", "Hamburg"], ["HE", "Hesse"], ["MV", "Mecklenburg-Western Pomerania"], ["NI", "Lower Saxony"],
    ["NW", "North Rhine-Westphalia"], ["RP", "Rhineland-Palatinate"], ["SL", "Saarland"], ["SN", "Saxony"],
    ["ST", "Saxony-Anhalt"], ["SH", "Schleswig-Holstein"], ["TH", "Thuringia"],
  ],
  GB: [["ENG", "England"], ["NIR", "Northern Ireland"], ["SCT", "Scotland"], ["WLS", "Wales"]],
  IN: [
    ["AP", "Andhra Pradesh"], ["AR", "Arunachal Pradesh"], ["AS", "Assam"], ["BR", "Bihar"], ["CT", "Chhattisgarh"],
    ["GA", "Goa"], ["GJ", "Gujarat"], ["HR", "Haryana"], ["HP", "Himachal Pradesh"], ["JH", "Jharkhand"],
    ["KA", "Karnataka"], ["KL", "Kerala"], ["MP", "Madhya Pradesh"], ["MH", "Maharashtra"], ["MN", "Manipur"],
    ["ML", "Meghalaya"], ["MZ", "Mizoram"], ["NL", "Nagaland"], ["OR", "Odisha"], ["PB", "Punjab"],
    ["RJ", "Rajasthan"], ["SK", "Sikkim"], ["TN", "Tamil Nadu"], ["TG", "Telangana"], ["TR", "Tripura"],
    ["UP", "Uttar Pradesh"], ["UK", "Uttarakhand"], ["WB", "West Bengal"], ["AN", "Andaman and Nicobar Islands"],
    ["CH", "Chandigarh"], ["DH", "Dadra and Nagar Haveli and Daman and Diu"], ["DL", "Delhi"],
    ["JK", "Jammu and Kashmir"], ["LA", "Ladakh"], ["LD", "Lakshadweep"], ["PY", "Puducherry"],
  ],
};

/** The states/provinces of each country listed here; the profile form offers them as a choice. */
export const REGIONS: Readonly<Record<string, readonly Region[]>> = Object.fromEntries(
  Object.entries(REGION_TABLE).map(([country, list]) => [country, list.map(([code, name]) => ({ code, name }))]),
);

type PostalFormat = { pattern: RegExp; example: string; normalise: (value: string) => string };

const upperWithSpaceBeforeLast3 = (value: string) => {
  const compact = value.replace(/\s+/g, "").toUpperCase();
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
};
const digitsOnly = (value: string) => value.replace(/\s+/g, "");

/** Postal-code formats; a zip for one of these countries is required and checked. */
export const POSTAL_FORMATS: Readonly<Record<string, PostalFormat>> = {
  US: { pattern: /^\d{5}(-\d{4})?$/, example: "94103 or 94103-1234", normalise: (value) => value.trim() },
  CA: { pattern: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/, example: "K1A 0B1", normalise: upperWithSpaceBeforeLast3 },
  GB: { pattern: /^(GIR 0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2})$/, example: "SW1A 1AA", normalise: upperWithSpaceBeforeLast3 },
  DE: { pattern: /^\d{5}$/, example: "10115", normalise: digitsOnly },
  IN: { pattern: /^[1-9]\d{5}$/, example: "110001", normalise: digitsOnly },
  AU: { pattern: /^\d{4}$/, example: "2000", normalise: digitsOnly },
  FR: { pattern: /^\d{5}$/, example: "75008", normalise: digitsOnly },
  NL: { pattern: /^[1-9]\d{3} [A-Z]{2}$/, example: "1012 AB", normalise: (value) => value.replace(/\s+/g, "").toUpperCase().replace(/^(\d{4})/, "$1 ") },
  JP: { pattern: /^\d{3}-\d{4}$/, example: "100-0001", normalise: (value) => digitsOnly(value).replace(/^(\d{3})-?(\d{4})$/, "$1-$2") },
};
