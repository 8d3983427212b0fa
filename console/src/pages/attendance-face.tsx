import { useEffect, useState } from 'preact/hooks';
import { Auth, call } from '../api';

/**
 * The signature covers the image's path and expiry, not the host: load it from
 * the console's own origin, which serves it too, whatever PUBLIC_URL names
 * (the console may be opened under another name or address).
 */
const here = (url: string): string => {
  try {
    const u = new URL(url, location.origin);
    return u.pathname.startsWith('/api/attendance/images/') ? u.pathname + u.search : url;
  } catch {
    return url;
  }
};

/**
 * A face or photo behind its signed, short-lived URL. A console left open
 * outlives the link: when the image fails to load, a fresh link is asked for
 * once (GET /api/attendance/images/sign) instead of showing a broken image.
 */
export function Face({ auth, url, alt }: { auth: Auth; url: string | null | undefined; alt: string }) {
  const [src, setSrc] = useState(url ? here(url) : null);
  const [renewed, setRenewed] = useState(false);
  useEffect(() => {
    setSrc(url ? here(url) : null);
    setRenewed(false);
  }, [url]);
  if (!src) return <span class="muted">no image</span>;
  const renew = () => {
    if (renewed || !url) return;
    setRenewed(true);
    call<{ url: string }>(auth, 'GET', `/api/attendance/images/sign?url=${encodeURIComponent(url)}`).then(
      (r) => setSrc(here(r.url)),
      () => setSrc(null),
    );
  };
  return <img class="thumb" src={src} alt={alt} loading="lazy" onError={renew} />;
}
