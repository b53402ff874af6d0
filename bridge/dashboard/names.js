// Device names seen in lists, for the pages of one device: its details (the Tinamous DTO)
// have no name field.
import {get, query} from './api.js';

const names = new Map();

export function rememberName(id, name) {
  if (id && name) names.set(id, name);
}

export function deviceName(id) {
  return names.get(id) || null;
}

// The name from the cache, else from the device's polled values (variable-values has the
// device's name); null when neither knows it.
export async function lookupName(id) {
  if (!names.has(id)) {
    try {
      const rows = await get(`/api/v1/reports/variable-values${query({device: id, limit: 1})}`);
      if (rows.items.length) rememberName(id, rows.items[0].DeviceName);
    } catch {
      return null;
    }
  }
  return deviceName(id);
}
