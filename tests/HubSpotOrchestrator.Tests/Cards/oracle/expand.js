// Reference expansion for the Cards tests: reads [{ "template": {...}, "data": {...} }, ...] on stdin and writes
// [{ "ok": true, "result": ... } | { "ok": false, "error": "..." }, ...] on stdout.
const { Template } = require('adaptivecards-templating');

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const output = input.map(({ template, data }) => {
  try {
    const result = new Template(template).expand({ $root: data });
    return { ok: true, result: result === undefined ? null : result };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e) };
  }
});
process.stdout.write(JSON.stringify(output));
