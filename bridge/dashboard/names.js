// Device names seen in lists, for the pages of one device: its details (the Tinamous DTO)
// have no name field.
const names = new Map();

export function rememberName(id, name) {
  if (id && name) names.set(id, name);
}

export function deviceName(id) {
  return names.get(id) || null;
}
