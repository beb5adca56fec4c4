-- obligations: the statutory-obligation tracker, as page data for region
-- pages (a table: one row per municipality) and municipality pages (a list).
-- Called as f(page, site) with page = {kind, region, municipality, lang}.
--
-- For each municipality, at the date of the built commit (site.build_date,
-- never the clock, so that a build can be repeated):
-- - hyte: the last negotiation of kind hyte, and whether it falls in the
--   current calendar year (612/2021 7 § 4 mom.: at least once a year);
-- - cooperation: a negotiation of kind cooperation, or an agreement with
--   status signed, dated within the current council term (611/2021 14 §:
--   at least once a term). Council terms run from June of their first year
--   to May of their last: 2021-2025, 2025-2029, and so on every four years;
-- - partnership: whether the municipality has a representative in its
--   area's partnership group: a member with `municipality: <slug>`, or a
--   member of sector kunta whose organisation starts with the municipality's
--   name less its last two letters, at least three kept ("Juuan kunta" for
--   Juuka, "Outokummun kaupunki" for Outokumpu: Finnish inflects the stem);
-- - report: a wellbeing report or plan whose period starts within the
--   current term's years (2025-2028 covers the term 2025-2029), approved by
--   the build date when it says when it was approved.
-- A record concerns the municipalities it lists, or the whole region when it
-- lists none (an agreement without municipalities: the municipalities among
-- its parties). Drafts and records dated after the build date are not evidence.
--
-- What it returns (nil for other pages), for obligations-region.mustache and
-- obligations-municipality.mustache: heading, intro, as_of, build_date, term,
-- year, and
-- - region: caption, municipality_label, columns = [{key, label, law}],
--   rows = [{slug, name, href, cells = [cell per column]}];
-- - municipality: municipality, items = [cell with label and law].
-- A cell is {key, state = ok | missing, symbol, status, text, href}. Every
-- status is a word and a symbol, never a colour alone. Links are site-root
-- relative without the leading slash, for the templates' {{root}}{{href}};
-- a missing link or law is false, so that a template section does not find
-- one of the enclosing context instead.

local TEXT = {
	fi = {
		heading = "Lakisääteiset velvoitteet",
		intro = "Tilanne %s, julkaistun version päivänä. Valtuustokausi %s. "
			.. "Hyte-neuvottelu käydään vähintään kerran vuodessa, yhteistyöneuvottelu "
			.. "vähintään kerran valtuustokaudessa.",
		caption = "Kuntien lakisääteiset velvoitteet, tilanne %s",
		municipality = "Kunta",
		hyte = "Hyte-neuvottelu vuonna %d",
		hyte_law = "612/2021 7 § 4 mom.",
		cooperation = "Yhteistyöneuvottelu tai sopimus valtuustokaudella %s",
		cooperation_law = "611/2021 14 §",
		partnership = "Edustus alueen kumppanuuspöydässä",
		report = "Hyvinvointikertomus tai -suunnitelma valtuustokaudelle %s",
		report_law = "612/2021 6 §",
		ok = "Kunnossa",
		missing = "Puuttuu",
		hyte_ok = "neuvottelu %s",
		hyte_late = "viimeisin %s",
		hyte_none = "ei hyte-neuvottelua",
		coop_negotiation = "neuvottelu %s",
		coop_agreement = "sopimus allekirjoitettu %s",
		coop_none = "ei neuvottelua eikä allekirjoitettua sopimusta tällä "
			.. "valtuustokaudella",
		part_ok = "edustaja alueen %s kumppanuuspöydässä",
		part_none = "ei edustajaa alueen %s kumppanuuspöydässä",
		part_nogroup = "alueella %s ei ole kumppanuuspöytää",
		part_noarea = "kunta ei kuulu mihinkään alueeseen",
		report_none = "ei hyvinvointikertomusta eikä -suunnitelmaa tälle valtuustokaudelle",
	},
	sv = {
		heading = "Lagstadgade skyldigheter",
		intro = "Läget %s, den publicerade versionens datum. Fullmäktigeperiod %s. "
			.. "Välfärdsförhandling hålls minst en gång om året, samarbetsförhandling "
			.. "minst en gång per fullmäktigeperiod.",
		caption = "Kommunernas lagstadgade skyldigheter, läget %s",
		municipality = "Kommun",
		hyte = "Välfärdsförhandling år %d",
		hyte_law = "612/2021 7 § 4 mom.",
		cooperation = "Samarbetsförhandling eller avtal under fullmäktigeperioden %s",
		cooperation_law = "611/2021 14 §",
		partnership = "Representation i områdets partnerskapsbord",
		report = "Välfärdsberättelse eller -plan för fullmäktigeperioden %s",
		report_law = "612/2021 6 §",
		ok = "I ordning",
		missing = "Saknas",
		hyte_ok = "förhandling %s",
		hyte_late = "senast %s",
		hyte_none = "ingen välfärdsförhandling",
		coop_negotiation = "förhandling %s",
		coop_agreement = "avtal undertecknat %s",
		coop_none = "ingen förhandling och inget undertecknat avtal under denna "
			.. "fullmäktigeperiod",
		part_ok = "representant i partnerskapsbordet för %s",
		part_none = "ingen representant i partnerskapsbordet för %s",
		part_nogroup = "området %s har inget partnerskapsbord",
		part_noarea = "kommunen hör inte till något område",
		report_none = "ingen välfärdsberättelse eller -plan för denna fullmäktigeperiod",
	},
	en = {
		heading = "Statutory obligations",
		intro = "Status on %s, the date of the published version. Council term %s. A "
			.. "wellbeing negotiation is held at least once a year, a cooperation "
			.. "negotiation at least once a council term.",
		caption = "Statutory obligations of the municipalities, status on %s",
		municipality = "Municipality",
		hyte = "Wellbeing negotiation in %d",
		hyte_law = "612/2021 7 § 4 mom.",
		cooperation = "Cooperation negotiation or agreement in the council term %s",
		cooperation_law = "611/2021 14 §",
		partnership = "Representative in the area's partnership group",
		report = "Wellbeing report or plan for the council term %s",
		report_law = "612/2021 6 §",
		ok = "Done",
		missing = "Missing",
		hyte_ok = "negotiation %s",
		hyte_late = "last one %s",
		hyte_none = "no wellbeing negotiation",
		coop_negotiation = "negotiation %s",
		coop_agreement = "agreement signed %s",
		coop_none = "no negotiation and no signed agreement in this council term",
		part_ok = "representative in the partnership group of %s",
		part_none = "no representative in the partnership group of %s",
		part_nogroup = "the area %s has no partnership group",
		part_noarea = "the municipality belongs to no area",
		report_none = "no wellbeing report or plan for this council term",
	},
}

local SYMBOL = { ok = "✓", missing = "✗" }

local function lower(s)
	return (s:lower():gsub("Ä", "ä"):gsub("Ö", "ö"):gsub("Å", "å"))
end

-- The council term of a date: first year, last year, first day.
local function term_of(date)
	local y, m = tonumber(date:sub(1, 4)), tonumber(date:sub(6, 7))
	local first = 2021 + 4 * ((y - 2021) // 4)
	if first == y and m < 6 then
		first = first - 4
	end
	return first, first + 4, ("%d-06-01"):format(first)
end

local function href_of(rec)
	return ((rec.url or ""):gsub("^/", ""))
end

local function contains(list, x)
	for _, v in ipairs(list or {}) do
		if v == x then
			return true
		end
	end
	return false
end

local function find(list, key, value)
	return avoin.where(list or {}, key, value)[1]
end

-- The municipalities a record concerns, or nil for the whole region.
local function concerned(rec, region_munis)
	local ms = rec.municipalities
	if ms and #ms > 0 then
		return ms
	end
	if rec.type == "agreement" and rec.parties then
		local out = {}
		for _, p in ipairs(rec.parties) do
			if type(p) == "string" and region_munis[p] then
				out[#out + 1] = p
			end
		end
		if #out > 0 then
			return out
		end
	end
	return nil
end

-- The name less its last two letters, at least three kept: "Juu" for Juuka.
local function stem(name)
	local n = utf8.len(name) or #name
	local keep = math.max(3, n - 2)
	if keep >= n then
		return name
	end
	return name:sub(1, utf8.offset(name, keep + 1) - 1)
end

local function represents(member, m)
	if type(member) ~= "table" then
		return false
	end
	if member.municipality then
		return member.municipality == m.slug
	end
	if member.sector ~= "kunta" or type(member.organisation) ~= "string" then
		return false
	end
	local org = lower(member.organisation)
	for _, name in ipairs({ m.name or "", m.name_sv or "" }) do
		local s = name ~= "" and lower(stem(name))
		if s and org:sub(1, #s) == s then
			return true
		end
	end
	return false
end

-- One status: every key present (false when empty), so that a template
-- section on href cannot find the href of the enclosing row instead.
local function cell(ctx, state, text, rec)
	return { state = state, symbol = SYMBOL[state],
		status = state == "ok" and ctx.t.ok or ctx.t.missing,
		text = text, href = rec and href_of(rec) or false }
end

local function hyte(ctx, m)
	local t, last = ctx.t, nil
	for _, r in ipairs(ctx.negotiations) do
		if r.kind == "hyte" and ctx.covers(r, m) and (not last or r.date > last.date) then
			last = r
		end
	end
	if not last then
		return cell(ctx, "missing", t.hyte_none)
	end
	if last.date:sub(1, 4) == ctx.today:sub(1, 4) then
		return cell(ctx, "ok", t.hyte_ok:format(ctx.fmtd(last.date)), last)
	end
	return cell(ctx, "missing", t.hyte_late:format(ctx.fmtd(last.date)), last)
end

local function cooperation(ctx, m)
	local t, best, best_date, text = ctx.t, nil, nil, nil
	for _, r in ipairs(ctx.negotiations) do
		if r.kind == "cooperation" and r.date >= ctx.term_from and ctx.covers(r, m)
			and (not best or r.date > best_date) then
			best, best_date, text = r, r.date, t.coop_negotiation
		end
	end
	for _, r in ipairs(ctx.agreements) do
		local d = r.signed or r.valid_from
		if r.status == "signed" and type(d) == "string" and d >= ctx.term_from
			and d <= ctx.today and ctx.covers(r, m) and (not best or d > best_date) then
			best, best_date, text = r, d, t.coop_agreement
		end
	end
	if not best then
		return cell(ctx, "missing", t.coop_none)
	end
	return cell(ctx, "ok", text:format(ctx.fmtd(best_date)), best)
end

local function partnership(ctx, m)
	local t, area = ctx.t, ctx.area_of[m.slug]
	if not area then
		return cell(ctx, "missing", t.part_noarea)
	end
	local name = area.name or area.slug
	local group, member_of
	for _, r in ipairs(ctx.partnerships) do
		if r.area == area.slug then
			group = group or r
			for _, member in ipairs(r.members or {}) do
				if not member_of and represents(member, m) then
					member_of = r
				end
			end
		end
	end
	if member_of then
		return cell(ctx, "ok", t.part_ok:format(name), member_of)
	elseif group then
		return cell(ctx, "missing", t.part_none:format(name), group)
	end
	return cell(ctx, "missing", t.part_nogroup:format(name))
end

local function report(ctx, m)
	local rep, rep_start
	for _, r in ipairs(ctx.reports) do
		local start = tonumber(tostring(r.period or ""):match("^(%d%d%d%d)"))
		if not start and type(r.date) == "string" then
			start = tonumber(r.date:sub(1, 4))
		end
		local approved = type(r.approved) == "table" and r.approved.date or nil
		local in_term = start and start >= ctx.term_first and start <= ctx.term_last
		if in_term and (type(approved) ~= "string" or approved <= ctx.today)
			and ctx.covers(r, m) and (not rep or start > rep_start) then
			rep, rep_start = r, start
		end
	end
	if not rep then
		return cell(ctx, "missing", ctx.t.report_none)
	end
	return cell(ctx, "ok", rep.title or "", rep)
end

local CHECKS = { { "hyte", hyte }, { "cooperation", cooperation },
	{ "partnership", partnership }, { "report", report } }

-- The evidence of a region at the build date, sorted by kind.
local function context(region, site, today, lang)
	local term_first, term_last, term_from = term_of(today)
	local ctx = {
		t = TEXT[lang], today = today, term_from = term_from, term_first = term_first,
		term_last = term_last, term = ("%d–%d"):format(term_first, term_last),
		negotiations = {}, agreements = {}, partnerships = {}, reports = {},
		region_munis = {}, area_of = {},
	}
	function ctx.fmtd(d)
		return avoin.format_date(d, lang)
	end
	function ctx.covers(rec, m)
		local ms = concerned(rec, ctx.region_munis)
		return ms == nil or contains(ms, m.slug)
	end
	for _, slug in ipairs(region.municipalities or {}) do
		ctx.region_munis[slug] = true
	end
	for _, a in ipairs(region.areas or {}) do
		for _, slug in ipairs(a.municipalities or {}) do
			ctx.area_of[slug] = ctx.area_of[slug] or a
		end
	end
	local REPORTS = { ["wellbeing-report"] = true, ["wellbeing-plan"] = true }
	-- only the four kinds of evidence are read: minutes and pages, half the records, are not
	local function evidence(ty, list, keep)
		for _, r in ipairs(avoin.where(site.records or {}, "region", region.slug, "type", ty)) do
			-- a draft is not published, so not evidence
			if r.draft ~= true and keep(r) then
				list[#list + 1] = r
			end
		end
	end
	local function any()
		return true
	end
	evidence("negotiation", ctx.negotiations, function(r)
		return type(r.date) == "string" and r.date <= today
	end)
	evidence("agreement", ctx.agreements, any)
	evidence("partnership", ctx.partnerships, any)
	evidence("report", ctx.reports, function(r)
		return REPORTS[r.kind]
	end)
	return ctx
end

local function evaluate(ctx, m)
	local out = {}
	for _, check in ipairs(CHECKS) do
		local c = check[2](ctx, m)
		c.key = check[1]
		out[#out + 1] = c
	end
	return out
end

return function(page, site)
	if page.kind ~= "region" and page.kind ~= "municipality" then
		return nil
	end
	local today = site.build_date
	if type(today) ~= "string" or not today:find("^%d%d%d%d%-%d%d%-%d%d$") then
		avoin.error("site.build_date is missing or not a date (YYYY-MM-DD); the obligation "
			.. "tracker needs it")
	end
	local lang = page.lang or (site.languages and site.languages[1]) or "fi"
	if not TEXT[lang] then
		lang = "fi"
	end
	local muni
	if page.kind == "municipality" then
		muni = find(site.municipalities, "slug", page.municipality)
		if not muni then
			return nil
		end
	end
	local region = find(site.regions, "slug", page.region or (muni and muni.region))
	if not region then
		return nil
	end
	local ctx = context(region, site, today, lang)
	local t, year = ctx.t, tonumber(today:sub(1, 4))
	local columns = {
		{ key = "hyte", label = t.hyte:format(year), law = t.hyte_law },
		{ key = "cooperation", label = t.cooperation:format(ctx.term),
			law = t.cooperation_law },
		{ key = "partnership", label = t.partnership, law = false },
		{ key = "report", label = t.report:format(ctx.term), law = t.report_law },
	}
	local as_of = avoin.format_date(today, lang)
	local function name_of(m)
		if lang == "sv" and m.name_sv and m.name_sv ~= "" then
			return m.name_sv
		end
		return m.name or m.title or m.slug
	end
	local data = {
		kind = page.kind,
		heading = t.heading,
		intro = t.intro:format(as_of, ctx.term),
		as_of = as_of,
		build_date = today,
		term = ctx.term,
		year = year,
	}
	if muni then
		local items = evaluate(ctx, muni)
		for i, item in ipairs(items) do
			item.label, item.law = columns[i].label, columns[i].law
		end
		data.municipality = name_of(muni)
		data.items = items
		return data
	end
	local rows = {}
	for _, slug in ipairs(region.municipalities or {}) do
		local m = find(site.municipalities, "slug", slug)
		if m then
			rows[#rows + 1] = { slug = m.slug, name = name_of(m), href = href_of(m),
				cells = evaluate(ctx, m) }
		end
	end
	data.caption = t.caption:format(as_of)
	data.municipality_label = t.municipality
	data.columns = columns
	data.rows = rows
	return data
end
