/*
** html_page: escaping, the page shell (CSP, CSS, script) and the filter
** form shared by both pages (see html.h).
*/
#include "html.h"
#include "json.h"
#include "sha256.h"
#include "util.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) { len = 2; min = 0x80; cp = c & 0x1f; }
	else if ((c & 0xf0) == 0xe0) { len = 3; min = 0x800; cp = c & 0x0f; }
	else if ((c & 0xf8) == 0xf0) { len = 4; min = 0x10000; cp = c & 0x07; }
	else return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls: as invalid (they would be invisible). */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return len;
}

/*
 * The one escaper. In attributes newlines and tabs are character
 * references; in text they stay (pre blocks keep them). Other control
 * characters become their pictures (U+2400 + c, U+2421 for DEL).
 */
static void escape(struct strbuf *out, const char *s, size_t n, bool attr)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		size_t len;
		unsigned c = *p;

		switch (c) {
		case '&': strbuf_addstr(out, "&amp;"); p++; continue;
		case '<': strbuf_addstr(out, "&lt;"); p++; continue;
		case '>': strbuf_addstr(out, "&gt;"); p++; continue;
		case '"': strbuf_addstr(out, "&quot;"); p++; continue;
		case '\'': strbuf_addstr(out, "&#39;"); p++; continue;
		case '\n': case '\t':
			if (attr)
				strbuf_addstr(out, c == '\n' ? "&#10;" : "&#9;");
			else
				strbuf_addch(out, (int)c);
			p++;
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			unsigned pic = c == 0x7f ? 0x2421 : 0x2400 + c;
			strbuf_addch(out, (int)(0xe0 | pic >> 12));
			strbuf_addch(out, (int)(0x80 | (pic >> 6 & 0x3f)));
			strbuf_addch(out, (int)(0x80 | (pic & 0x3f)));
			p++;
			continue;
		}
		len = utf8_len(p, (size_t)(end - p));
		if (!len) {
			strbuf_addstr(out, "\xef\xbf\xbd");
			p++;
			continue;
		}
		strbuf_add(out, p, len);
		p += len;
	}
}

void html_textn(struct strbuf *out, const char *s, size_t len)
{
	if (s)
		escape(out, s, len, false);
}

void html_text(struct strbuf *out, const char *s)
{
	if (s)
		escape(out, s, strlen(s), false);
}

void html_attr(struct strbuf *out, const char *s)
{
	if (s)
		escape(out, s, strlen(s), true);
}

bool html_url_ok(const char *url)
{
	const char *rest;

	if (!url)
		return false;
	if (!strncasecmp(url, "https://", 8))
		rest = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		rest = url + 7;
	else
		return false;
	if (!*rest)
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

void html_json_script(struct strbuf *out, const char *id, const char *json, size_t len)
{
	strbuf_addstr(out, "<script type=\"application/json\" id=\"");
	html_attr(out, id);
	strbuf_addstr(out, "\">");
	/* '<', '>' and '&' only occur inside JSON strings: \u-escape them
	   all, so neither "</script" nor "<!--" can appear. */
	for (size_t i = 0; i < len; i++) {
		switch (json[i]) {
		case '<': strbuf_addstr(out, "\\u003c"); break;
		case '>': strbuf_addstr(out, "\\u003e"); break;
		case '&': strbuf_addstr(out, "\\u0026"); break;
		default: strbuf_addch(out, json[i]); break;
		}
	}
	strbuf_addstr(out, "</script>\n");
}

static const char page_css[] =
	":root{--fg:#1d232a;--dim:#5b6570;--bg:#fff;--panel:#f5f7f9;--line:#d9dee3;--accent:#0b5cad}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);background:var(--bg)}"
	"header.top{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--panel)}"
	"h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px;margin:0}"
	"main{padding:0 24px 40px;max-width:1400px}"
	".dim{color:var(--dim)}.mono,pre,code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12.5px}"
	"pre{white-space:pre-wrap;word-break:break-all;margin:4px 0;padding:6px 8px;background:var(--panel);border-radius:4px}"
	"table{border-collapse:collapse;margin:6px 0}th,td{text-align:left;padding:3px 10px 3px 0;vertical-align:top;border-bottom:1px solid var(--line)}"
	"th{font-weight:600;color:var(--dim)}td.num,th.num{text-align:right}"
	".chips span{display:inline-block;margin:2px 6px 2px 0;padding:1px 8px;border-radius:10px;background:var(--panel);border:1px solid var(--line)}"
	".sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:baseline}"
	"form.filter{position:sticky;top:0;z-index:2;background:var(--bg);padding:8px 0;border-bottom:1px solid var(--line);display:flex;gap:8px;align-items:center;flex-wrap:wrap}"
	"form.filter input[type=search]{width:24em}"
	"[hidden]{display:none!important}"
	".timeline{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:6px;background:#fcfdfe}"
	".timeline svg text{font:11px system-ui,sans-serif;fill:#444}"
	".timeline a.mark:hover *,.timeline a.mark:focus *{stroke:#000;stroke-width:2}"
	".timeline a.mark.off{display:none}"
	"#tl-caption{min-height:1.4em;margin:4px 0}"
	"section.inc{border:1px solid var(--line);border-left:5px solid var(--kc,#888);border-radius:6px;padding:8px 12px;margin:10px 0;background:var(--bg);"
	"content-visibility:auto;contain-intrinsic-size:auto 320px}"
	"section.inc:target,section.inc.target{box-shadow:0 0 0 3px #f4c20d}"
	"section.inc .consequences{margin-left:18px}"
	".inc-head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}"
	".kind{font-size:12px;padding:0 6px;border-radius:8px;color:#fff}"
	".sev-critical{background:#8b0000;color:#fff}.sev-high{background:#d4380d;color:#fff}"
	".sev-medium{background:#d48806;color:#fff}.sev-low{background:#7c8791;color:#fff}"
	".sev{font-size:12px;padding:0 6px;border-radius:8px}"
	".kind{background:var(--kc,#8c8c8c)}"
	".k-crash{--kc:#cf1322}.k-hang{--kc:#d46b08}.k-mem{--kc:#722ed1}.k-san{--kc:#c41d7f}"
	".k-warn{--kc:#ad8b00}.k-dev{--kc:#1d39c4}.k-user{--kc:#595959}.k-state{--kc:#08979c}"
	".k-reboot{--kc:#000}.k-other{--kc:#8c8c8c}"
	".facts{margin:4px 0}.facts span{margin-right:14px}"
	".follows{margin:4px 0;padding:4px 8px;background:#fff7e6;border-radius:4px}"
	".match{margin:6px 0;padding:6px 10px;background:#eef6ff;border-radius:4px}"
	".frame .src{color:var(--dim)}.frame.unrel{color:var(--dim)}.inl{color:var(--dim);padding-left:2em}"
	"details{margin:4px 0}summary{cursor:pointer;color:var(--accent)}"
	".boot{margin-top:18px;padding-top:6px;border-top:2px solid var(--line)}"
	".spark rect{fill:var(--accent)}"
	"table.matrix td{text-align:center;min-width:2.2em}"
	"table.matrix td.hit{background:#ffe7ba}"
	"button{font:inherit}";

/*
 * Filter: an item ([data-filter]) stays visible when it matches or holds
 * a visible item (consequences nest inside their cause); timeline marks
 * follow their incident. Deep links: a #incident-N target is made visible
 * (filters cleared), its <details> ancestors opened and scrolled to, at
 * load and on every hash change. Copy buttons copy their target's text.
 */
static const char page_js[] =
	"(function(){'use strict';"
	"var $=function(s,r){return Array.prototype.slice.call((r||document).querySelectorAll(s));};"
	"var form=document.getElementById('filter');"
	"var fk=document.getElementById('f-kind'),fh=document.getElementById('f-host'),ft=document.getElementById('f-text'),fc=document.getElementById('f-count');"
	"var items=$('[data-filter]').reverse();"
	"function ok(el){var k=fk&&fk.value,h=fh&&fh.value,t=ft&&ft.value.trim().toLowerCase();"
	"if(k&&el.getAttribute('data-kind')!==k)return false;"
	"if(h&&el.getAttribute('data-host')!==h)return false;"
	"if(t&&(el.getAttribute('data-text')||'').toLowerCase().indexOf(t)<0)return false;return true;}"
	"function apply(){var shown=0;items.forEach(function(el){"
	"var vis=ok(el)||!!el.querySelector('[data-filter]:not([hidden])');el.hidden=!vis;if(vis&&ok(el))shown++;});"
	"$('a.mark').forEach(function(m){var t=document.getElementById('incident-'+m.getAttribute('data-n'));"
	"m.classList.toggle('off',!!t&&t.hidden);});"
	"if(fc)fc.textContent=shown+' of '+items.length+' shown';}"
	"if(form){form.hidden=false;form.addEventListener('submit',function(e){e.preventDefault();});"
	"[fk,fh,ft].forEach(function(x){if(x)x.addEventListener('input',apply);});"
	"var rs=document.getElementById('f-reset');if(rs)rs.addEventListener('click',function(){"
	"if(fk)fk.value='';if(fh)fh.value='';if(ft)ft.value='';apply();});apply();}"
	"function go(){var id=decodeURIComponent(location.hash.slice(1));if(!id)return;"
	"var t=document.getElementById(id);if(!t)return;"
	"if(t.closest&&t.closest('[hidden]')){if(fk)fk.value='';if(fh)fh.value='';if(ft)ft.value='';apply();}"
	"for(var p=t.parentElement;p;p=p.parentElement)if(p.tagName==='DETAILS')p.open=true;"
	"$('.target').forEach(function(x){x.classList.remove('target');});t.classList.add('target');"
	"t.scrollIntoView();"
	/* sections off screen are sized by estimate (content-visibility) until
	   drawn: scroll again once those above the target have their height */
	"requestAnimationFrame(function(){t.scrollIntoView();setTimeout(function(){t.scrollIntoView();},120);});}"
	"if('scrollRestoration' in history)history.scrollRestoration='manual';"
	"window.addEventListener('hashchange',go);go();"
	"var cap=document.getElementById('tl-caption');"
	"function say(e){var a=e.target.closest&&e.target.closest('a.mark');if(a&&cap){"
	"var tt=a.querySelector('title');cap.textContent=tt?tt.textContent:'';}}"
	"document.addEventListener('mouseover',say);document.addEventListener('focusin',say);"
	"$('button[data-copy]').forEach(function(b){b.hidden=false;b.addEventListener('click',function(){"
	"var src=document.getElementById(b.getAttribute('data-copy'));if(!src)return;var txt=src.textContent;"
	"function done(){b.textContent='copied';}"
	"if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(txt).then(done,function(){fallback();});}else fallback();"
	"function fallback(){var r=document.createRange();r.selectNodeContents(src);var s=getSelection();s.removeAllRanges();s.addRange(r);"
	"try{document.execCommand('copy');done();}catch(x){}}});});"
	"})();";

void html_page_begin(struct strbuf *out, const char *title)
{
	char css_hash[45], js_hash[45];

	sha256_base64(page_css, sizeof(page_css) - 1, css_hash);
	sha256_base64(page_js, sizeof(page_js) - 1, js_hash);
	strbuf_addstr(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
	strbuf_addf(out, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'sha256-%s'; script-src 'sha256-%s'; base-uri 'none'; form-action 'none'\">\n",
		    css_hash, js_hash);
	strbuf_addstr(out, "<meta name=\"referrer\" content=\"no-referrer\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(out, title);
	strbuf_addstr(out, "</title>\n<style>");
	strbuf_addstr(out, page_css);
	strbuf_addstr(out, "</style></head><body>\n");
}

void html_page_end(struct strbuf *out)
{
	strbuf_addstr(out, "<script>");
	strbuf_addstr(out, page_js);
	strbuf_addstr(out, "</script>\n</body></html>\n");
}

static void options(struct strbuf *out, const char *id, const char *label,
		    const char *const *v, size_t n)
{
	strbuf_addf(out, "<label>%s <select id=\"%s\"><option value=\"\">all</option>", label, id);
	for (size_t i = 0; i < n; i++) {
		strbuf_addstr(out, "<option value=\"");
		html_attr(out, v[i]);
		strbuf_addstr(out, "\">");
		html_text(out, v[i]);
		strbuf_addstr(out, "</option>");
	}
	strbuf_addstr(out, "</select></label>\n");
}

void html_filter_form(struct strbuf *out, const char *const *kinds, size_t nr_kinds,
		      const char *const *hosts, size_t nr_hosts)
{
	/* hidden until the script runs: without it there is nothing to filter with */
	strbuf_addstr(out, "<form class=\"filter\" id=\"filter\" hidden>\n");
	options(out, "f-kind", "kind", kinds, nr_kinds);
	options(out, "f-host", "host", hosts, nr_hosts);
	strbuf_addstr(out, "<label>text <input type=\"search\" id=\"f-text\" placeholder=\"title, task, function, bug\"></label>\n"
		      "<button type=\"button\" id=\"f-reset\">clear</button> <span id=\"f-count\" class=\"dim\"></span></form>\n");
}

/* Colour families: crashes red, hangs orange, memory purple, sanitizers
   magenta, warnings amber, devices and network blue, user space grey,
   states (sysrq, conditions) teal, reboots black. The CSS classes k-FAMILY
   above carry the same colours. */
static const struct {
	const char *family, *colour;
} families[] = {
	{ "crash", "#cf1322" }, { "hang", "#d46b08" }, { "mem", "#722ed1" },
	{ "san", "#c41d7f" }, { "warn", "#ad8b00" }, { "dev", "#1d39c4" },
	{ "user", "#595959" }, { "state", "#08979c" }, { "reboot", "#000000" },
	{ "other", "#8c8c8c" },
};

static size_t family_of(enum incident_kind kind)
{
	switch (kind) {
	case KIND_OOPS: case KIND_GPF: case KIND_BUG: case KIND_TRAP: case KIND_PANIC:
		return 0;
	case KIND_HUNG_TASK: case KIND_SOFT_LOCKUP: case KIND_HARD_LOCKUP: case KIND_RCU_STALL:
	case KIND_WORKQUEUE_LOCKUP: case KIND_TASK_DUMP:
		return 1;
	case KIND_OOM: case KIND_PAGE_ALLOC_FAILURE: case KIND_KMEMLEAK:
		return 2;
	case KIND_KASAN: case KIND_KFENCE: case KIND_KMSAN: case KIND_KCSAN: case KIND_UBSAN:
	case KIND_LOCKDEP:
		return 3;
	case KIND_WARNING:
		return 4;
	case KIND_TCP_MEM: case KIND_NETDEV: case KIND_IO_ERROR: case KIND_FS_ERROR: case KIND_MCE:
		return 5;
	case KIND_SEGFAULT: case KIND_FUZZER_FAILURE:
		return 6;
	case KIND_SYSRQ_TASKS: case KIND_SYSRQ_CPUS: case KIND_SYSRQ_MEM: case KIND_SYSRQ_LOCKS:
	case KIND_CONDITION:
		return 7;
	case KIND_REBOOT:
		return 8;
	default:
		return 9;
	}
}

const char *html_kind_colour(enum incident_kind kind)
{
	return families[family_of(kind)].colour;
}

const char *html_kind_family(enum incident_kind kind)
{
	return families[family_of(kind)].family;
}

const char *html_kind_severity(enum incident_kind kind)
{
	switch (kind) {
	case KIND_PANIC: case KIND_REBOOT: case KIND_MCE:
		return "critical";
	case KIND_OOPS: case KIND_GPF: case KIND_BUG: case KIND_TRAP: case KIND_KASAN:
	case KIND_KFENCE: case KIND_HARD_LOCKUP: case KIND_HUNG_TASK: case KIND_SOFT_LOCKUP:
	case KIND_RCU_STALL: case KIND_WORKQUEUE_LOCKUP: case KIND_OOM:
		return "high";
	case KIND_WARNING: case KIND_LOCKDEP: case KIND_KMSAN: case KIND_KCSAN: case KIND_UBSAN:
	case KIND_IO_ERROR: case KIND_FS_ERROR: case KIND_NETDEV: case KIND_PAGE_ALLOC_FAILURE:
	case KIND_KMEMLEAK: case KIND_CONDITION:
		return "medium";
	default:
		return "low";
	}
}

const char *html_severity(const struct incident *inc)
{
	static const char *const levels[] = { "low", "medium", "high", "critical" };

	for (size_t i = 0; i < inc->nr_matches; i++)
		for (size_t l = 0; l < 4 && inc->matches[i].severity; l++)
			if (!strcmp(inc->matches[i].severity, levels[l]))
				return levels[l];
	return html_kind_severity(inc->kind);
}
