// Query parameters that only track a click or a campaign; removing them never changes the page.
// Matched case-insensitively on the parameter name.

/** Exact names: ad-click ids (Google, Facebook, Microsoft, Yandex...), mail campaigns, share referrers. */
export const TRACKING_PARAM_NAMES: ReadonlySet<string> = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id', // ad clicks
  'mc_cid', 'mc_eid', '_hsenc', '_hsmi', 'mkt_tok', 'vero_id', 'vero_conv', 'oly_anon_id', 'oly_enc_id', // mailings
  'ocid', 'cmpid', 'cmp', 'icid', 's_cid', 'smid', 'smtyp', 'ito', 'ncid', 'sr_share', // publishers' campaign ids
  'ref_src', 'ref_url', 'igshid', 'igsh', 'spm', 'scm', '_ga', '_gl', 'rb_clickid', 'wt.mc_id', 'cid_source', // referrers, analytics
]);

/** Name prefixes: Google Analytics (utm_), AT Internet (at_), comScore (ns_), Piwik/Matomo (pk_, mtm_). */
export const TRACKING_PARAM_PREFIXES: readonly string[] = ['utm_', 'at_', 'ns_', 'pk_', 'mtm_', 'hsa_'];

/** Whether a query parameter name is a tracking parameter. */
export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAM_NAMES.has(lower) || TRACKING_PARAM_PREFIXES.some((prefix) => lower.startsWith(prefix));
}
