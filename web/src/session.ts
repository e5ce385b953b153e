// The admin token lives in sessionStorage: it survives a reload of this tab, is gone when the tab closes, and is
// never written to a URL, a cookie or localStorage.
const KEY = 'matchkey.admin_token';

export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}
