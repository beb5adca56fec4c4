-- obligations: the statutory-obligation tracker, as page data for region
-- pages (a table: one row per municipality) and municipality pages (a list).
-- Called as f(page, site) with page = {kind, region, municipality, lang}.
--
-- Every cell says one of three things, in words and a symbol: fulfilled (ok),
-- in preparation (preparing), missing. Only evidence that fulfils the
-- obligation counts, at the date of the built commit (site.build_date, never
-- the clock, so that a build can be repeated). Drafts are not evidence.
--
-- Statutory, each stated on the page with its legal basis (RULES below):
-- - hyte (612/2021 7 § 4 mom.): the county and its municipalities negotiate
--   every year. Ok: a hyte negotiation held this year (dated by the build
--   date). Preparing: one dated later this year, or a held negotiation's
--   `next` later this year. A negotiation for the whole region (no
--   `municipalities`) counts for each of its municipalities: the law puts the
--   duty on the county and its municipalities together.
-- - cooperation (611/2021 14 §): once every council term. Ok: a cooperation
--   negotiation held in the current term, or an agreement signed and in force
--   (signed by the build date, valid_from not after it, valid_until not
--   before it). Preparing: a cooperation negotiation dated later in the term,
--   or an agreement of status draft or approved. Region-wide counts, as above.
--   Council terms run from June of their first year to May of their last.
-- - report (612/2021 6 §): the municipality's own wellbeing report or plan for
--   the term (period starting within the term's years), approved by the
--   council by the build date (`approved.date`). Preparing: one without
--   approval yet. A region-wide report is the county's own (7 §) and does not
--   count for a municipality; the cell says so when one exists.
-- Not statutory, in its own table: partnership, whether the municipality has
-- a representative in its area's partnership group (a member with
-- `municipality: <slug>`, or a member of sector kunta whose organisation
-- starts with the municipality's name less its last two letters, at least
-- three kept: "Juuan kunta" for Juuka).
-- A record concerns the municipalities it lists, or the whole region when it
-- lists none (an agreement without municipalities: the municipalities among
-- its parties, else the whole region).
--
-- What it returns (nil for other pages), for obligations-region.mustache and
-- obligations-municipality.mustache: heading, intro, as_of, build_date, term,
-- year, rules = [{label, law, text}], and tables = [{id, heading, intro,
-- caption, municipality_label, columns = [{key, label, law}], and on a region
-- page rows = [{slug, name, href, cells}], on a municipality page items =
-- [cell with label and law]}]: the statutory table first, then the others.
-- A cell is {key, state, symbol, status, text, href, note}. Links are
-- site-root relative without the leading slash, for the templates'
-- {{root}}{{href}}; a missing link, law or note is false, so that a template
-- section does not find one of the enclosing context instead.

local TEXT = {
	fi = {
		heading = "Lakisääteiset velvoitteet",
		intro = "Tilanne %s, julkaistun version päivänä. Valtuustokausi %s. Kukin velvoite "
			.. "katsotaan täytetyksi vain sen täyttävästä asiakirjasta; säännöt ja niiden "
			.. "lainkohdat ovat alla.",
		caption = "Kuntien lakisääteiset velvoitteet, tilanne %s",
		other_heading = "Alueen yhteistyörakenne",
		other_intro = "Nämä eivät ole lakisääteisiä velvoitteita, vaan alueen "
			.. "yhteistyörakenteessa sovittuja tehtäviä.",
		other_caption = "Kuntien osallistuminen alueen yhteistyörakenteeseen, tilanne %s",
		rules_heading = "Miten tilanne päätellään",
		municipality = "Kunta",
		hyte = "Hyte-neuvottelu vuonna %d",
		hyte_law = "612/2021 7 § 4 mom.",
		hyte_rule = "Hyvinvointialue ja sen kunnat neuvottelevat hyvinvoinnin ja terveyden "
			.. "edistämisestä vuosittain. Kunnossa, kun neuvottelu on käyty tänä vuonna; "
			.. "valmisteilla, kun se on sovittu myöhemmäksi tälle vuodelle. Koko alueen "
			.. "yhteinen neuvottelu kattaa alueen jokaisen kunnan.",
		cooperation = "Yhteistyöneuvottelu tai -sopimus valtuustokaudella %s",
		cooperation_law = "611/2021 14 §",
		cooperation_rule = "Hyvinvointialue ja sen kunnat neuvottelevat yhteistyöstään "
			.. "kerran valtuustokaudessa. Kunnossa, kun neuvottelu on käyty tällä "
			.. "valtuustokaudella tai voimassa oleva sopimus on allekirjoitettu; valmisteilla, "
			.. "kun neuvottelu on sovittu tai sopimus on luonnos tai hyväksytty mutta "
			.. "allekirjoittamatta. Koko alueen neuvottelu tai sopimus kattaa alueen kunnat.",
		report = "Kunnan hyvinvointikertomus tai -suunnitelma valtuustokaudelle %s",
		report_law = "612/2021 6 §",
		report_rule = "Kunta laatii valtuustokausittain oman hyvinvointikertomuksen ja "
			.. "-suunnitelman, jonka valtuusto käsittelee. Kunnossa, kun valtuusto on "
			.. "hyväksynyt sen; valmisteilla, kun sitä ei ole vielä hyväksytty. "
			.. "Hyvinvointialueen oma alueellinen kertomus ei täytä kunnan velvoitetta.",
		partnership = "Edustus alueen kumppanuuspöydässä",
		partnership_rule = "Alueen yhteistyörakenteen mukaan kunnalla on edustaja alueensa "
			.. "kumppanuuspöydässä. Ei lakisääteinen.",
		ok = "Kunnossa",
		preparing = "Valmisteilla",
		missing = "Puuttuu",
		hyte_ok = "neuvottelu käyty %s",
		hyte_planned = "neuvottelu sovittu %s",
		hyte_late = "ei neuvottelua vuonna %d; edellinen %s",
		hyte_none = "ei yhtään hyte-neuvottelua",
		coop_negotiation = "neuvottelu käyty %s",
		coop_agreement = "sopimus allekirjoitettu %s",
		coop_planned = "neuvottelu sovittu %s",
		coop_draft = "sopimus valmisteilla: %s",
		coop_none = "ei neuvottelua eikä voimassa olevaa sopimusta valtuustokauden alun %s "
			.. "jälkeen",
		report_ok = "%s, valtuusto hyväksyi %s",
		report_preparing = "%s, ei vielä hyväksytty",
		report_none = "ei kunnan omaa kertomusta eikä suunnitelmaa valtuustokauden alun %s "
			.. "jälkeen",
		regional = "koko alueen yhteinen",
		regional_only = "alueen oma kertomus ei täytä kunnan velvoitetta",
		part_ok = "edustaja alueen %s kumppanuuspöydässä",
		part_none = "ei edustajaa alueen %s kumppanuuspöydässä",
		part_nogroup = "alueella %s ei ole kumppanuuspöytää",
		part_noarea = "kunta ei kuulu mihinkään alueeseen",
	},
	sv = {
		heading = "Lagstadgade skyldigheter",
		intro = "Läget %s, den publicerade versionens datum. Fullmäktigeperiod %s. En "
			.. "skyldighet räknas som uppfylld bara av en handling som uppfyller den; reglerna "
			.. "och lagrummen står nedan.",
		caption = "Kommunernas lagstadgade skyldigheter, läget %s",
		other_heading = "Områdets samarbetsstruktur",
		other_intro = "Detta är inga lagstadgade skyldigheter utan uppgifter som man kommit "
			.. "överens om i områdets samarbetsstruktur.",
		other_caption = "Kommunernas deltagande i områdets samarbetsstruktur, läget %s",
		rules_heading = "Hur läget bedöms",
		municipality = "Kommun",
		hyte = "Välfärdsförhandling år %d",
		hyte_law = "612/2021 7 § 4 mom.",
		hyte_rule = "Välfärdsområdet och dess kommuner förhandlar varje år om främjandet av "
			.. "välfärd och hälsa. I ordning när förhandlingen har hållits i år; under "
			.. "beredning när den är utsatt till senare i år. En förhandling för hela "
			.. "området gäller varje kommun i området.",
		cooperation = "Samarbetsförhandling eller -avtal under fullmäktigeperioden %s",
		cooperation_law = "611/2021 14 §",
		cooperation_rule = "Välfärdsområdet och dess kommuner förhandlar om sitt samarbete en "
			.. "gång per fullmäktigeperiod. I ordning när förhandlingen har hållits under "
			.. "perioden eller ett gällande avtal har undertecknats; under beredning när en "
			.. "förhandling är utsatt eller avtalet är ett utkast eller godkänt men inte "
			.. "undertecknat. En förhandling eller ett avtal för hela området gäller dess kommuner.",
		report = "Kommunens välfärdsberättelse eller -plan för fullmäktigeperioden %s",
		report_law = "612/2021 6 §",
		report_rule = "Kommunen utarbetar varje fullmäktigeperiod en egen välfärdsberättelse "
			.. "och -plan som fullmäktige behandlar. I ordning när fullmäktige har godkänt "
			.. "den; under beredning när den ännu inte är godkänd. Välfärdsområdets egen "
			.. "regionala berättelse uppfyller inte kommunens skyldighet.",
		partnership = "Representation i områdets partnerskapsbord",
		partnership_rule = "Enligt områdets samarbetsstruktur har kommunen en representant i "
			.. "områdets partnerskapsbord. Inte lagstadgat.",
		ok = "I ordning",
		preparing = "Under beredning",
		missing = "Saknas",
		hyte_ok = "förhandling hållen %s",
		hyte_planned = "förhandling utsatt till %s",
		hyte_late = "ingen förhandling år %d; den senaste %s",
		hyte_none = "ingen välfärdsförhandling alls",
		coop_negotiation = "förhandling hållen %s",
		coop_agreement = "avtal undertecknat %s",
		coop_planned = "förhandling utsatt till %s",
		coop_draft = "avtal under beredning: %s",
		coop_none = "ingen förhandling och inget gällande avtal sedan periodens början %s",
		report_ok = "%s, godkänd av fullmäktige %s",
		report_preparing = "%s, ännu inte godkänd",
		report_none = "ingen egen berättelse eller plan sedan periodens början %s",
		regional = "gemensam för hela området",
		regional_only = "områdets egen berättelse uppfyller inte kommunens skyldighet",
		part_ok = "representant i partnerskapsbordet för %s",
		part_none = "ingen representant i partnerskapsbordet för %s",
		part_nogroup = "området %s har inget partnerskapsbord",
		part_noarea = "kommunen hör inte till något område",
	},
	en = {
		heading = "Statutory obligations",
		intro = "Status on %s, the date of the published version. Council term %s. An "
			.. "obligation counts as met only on a document that meets it; the rules and "
			.. "their legal basis are below.",
		caption = "Statutory obligations of the municipalities, status on %s",
		other_heading = "The region's cooperation structure",
		other_intro = "These are not statutory obligations but tasks agreed in the region's "
			.. "cooperation structure.",
		other_caption = "The municipalities in the region's cooperation structure, status on %s",
		rules_heading = "How the status is decided",
		municipality = "Municipality",
		hyte = "Wellbeing negotiation in %d",
		hyte_law = "612/2021 7 § 4 mom.",
		hyte_rule = "The wellbeing services county and its municipalities negotiate on "
			.. "promoting wellbeing and health every year. Met when the negotiation has been "
			.. "held this year; in preparation when it is set for later this year. A "
			.. "negotiation for the whole region counts for each of its municipalities.",
		cooperation = "Cooperation negotiation or agreement in the council term %s",
		cooperation_law = "611/2021 14 §",
		cooperation_rule = "The county and its municipalities negotiate on their cooperation "
			.. "once every council term. Met when the negotiation has been held in this term or "
			.. "an agreement in force has been signed; in preparation when a negotiation is set "
			.. "or the agreement is a draft or approved but not signed. A negotiation or "
			.. "agreement for the whole region counts for its municipalities.",
		report = "The municipality's wellbeing report or plan for the council term %s",
		report_law = "612/2021 6 §",
		report_rule = "Each council term, the municipality prepares its own wellbeing report "
			.. "and plan for its council. Met when the council has approved it; in "
			.. "preparation until then. The county's own regional report does not meet the "
			.. "municipality's obligation.",
		partnership = "Representative in the area's partnership group",
		partnership_rule = "Under the region's cooperation structure, each municipality has a "
			.. "representative in its area's partnership group. Not statutory.",
		ok = "Met",
		preparing = "In preparation",
		missing = "Missing",
		hyte_ok = "negotiation held %s",
		hyte_planned = "negotiation set for %s",
		hyte_late = "no negotiation in %d; the last one %s",
		hyte_none = "no wellbeing negotiation at all",
		coop_negotiation = "negotiation held %s",
		coop_agreement = "agreement signed %s",
		coop_planned = "negotiation set for %s",
		coop_draft = "agreement in preparation: %s",
		coop_none = "no negotiation and no agreement in force since the term began on %s",
		report_ok = "%s, approved by the council %s",
		report_preparing = "%s, not yet approved",
		report_none = "no report or plan of its own since the term began on %s",
		regional = "for the whole region",
		regional_only = "the region's own report does not meet the municipality's obligation",
		part_ok = "representative in the partnership group of %s",
		part_none = "no representative in the partnership group of %s",
		part_nogroup = "the area %s has no partnership group",
		part_noarea = "the municipality belongs to no area",
	},
}

local SYMBOL = { ok = "✓", preparing = "◐", missing = "✗" }

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
local function cell(ctx, state, text, rec, note)
	return { state = state, symbol = SYMBOL[state], status = ctx.t[state],
		text = text, href = rec and href_of(rec) or false, note = note or false }
end

-- "koko alueen yhteinen" for evidence that names no municipality
local function scope_note(ctx, rec)
	return concerned(rec, ctx.region_munis) == nil and ctx.t.regional or nil
end

local function year_of(d)
	return type(d) == "string" and d:sub(1, 4) or ""
end

local function hyte(ctx, m)
	local t, year = ctx.t, ctx.today:sub(1, 4)
	local held, planned, planned_date
	for _, r in ipairs(ctx.negotiations) do
		if r.kind == "hyte" and ctx.covers(r, m) then
			if r.date <= ctx.today and (not held or r.date > held.date) then
				held = r
			elseif r.date > ctx.today and year_of(r.date) == year
				and (not planned or r.date < planned_date) then
				planned, planned_date = r, r.date
			end
		end
	end
	if held and year_of(held.date) == year then
		return cell(ctx, "ok", t.hyte_ok:format(ctx.fmtd(held.date)), held, scope_note(ctx, held))
	end
	local nx = held and held.next
	if not planned and type(nx) == "string" and nx > ctx.today and year_of(nx) == year then
		planned, planned_date = held, nx
	end
	if planned then
		return cell(ctx, "preparing", t.hyte_planned:format(ctx.fmtd(planned_date)), planned,
			scope_note(ctx, planned))
	end
	if held then
		return cell(ctx, "missing", t.hyte_late:format(tonumber(year), ctx.fmtd(held.date)), held)
	end
	return cell(ctx, "missing", t.hyte_none)
end

-- An agreement in force at the build date: signed by then, and within its validity.
local function in_force(r, today)
	local signed = r.signed
	return r.status == "signed" and type(signed) == "string" and signed <= today
		and (type(r.valid_from) ~= "string" or r.valid_from <= today)
		and (type(r.valid_until) ~= "string" or r.valid_until >= today)
end

local function cooperation(ctx, m)
	local t = ctx.t
	local best, best_date, text, soon, soon_date, draft
	for _, r in ipairs(ctx.negotiations) do
		if r.kind == "cooperation" and r.date >= ctx.term_from and ctx.covers(r, m) then
			if r.date <= ctx.today and (not best or r.date > best_date) then
				best, best_date, text = r, r.date, t.coop_negotiation
			elseif r.date > ctx.today and r.date < ctx.term_to
				and (not soon or r.date < soon_date) then
				soon, soon_date = r, r.date
			end
		end
	end
	for _, r in ipairs(ctx.agreements) do
		if ctx.covers(r, m) then
			if in_force(r, ctx.today) and (not best or r.signed > best_date) then
				best, best_date, text = r, r.signed, t.coop_agreement
			elseif (r.status == "draft" or r.status == "approved") and not draft then
				draft = r
			end
		end
	end
	if best then
		return cell(ctx, "ok", text:format(ctx.fmtd(best_date)), best, scope_note(ctx, best))
	elseif soon then
		return cell(ctx, "preparing", t.coop_planned:format(ctx.fmtd(soon_date)), soon,
			scope_note(ctx, soon))
	elseif draft then
		return cell(ctx, "preparing", t.coop_draft:format(ctx.title(draft)), draft,
			scope_note(ctx, draft))
	end
	return cell(ctx, "missing", t.coop_none:format(ctx.fmtd(ctx.term_from)))
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
	local t = ctx.t
	local approved, preparing, regional
	for _, r in ipairs(ctx.reports) do
		local start = tonumber(tostring(r.period or ""):match("^(%d%d%d%d)"))
		if not start and type(r.date) == "string" then
			start = tonumber(r.date:sub(1, 4))
		end
		if start and start >= ctx.term_first and start <= ctx.term_last then
			local ms = concerned(r, ctx.region_munis)
			local ad = type(r.approved) == "table" and r.approved.date or nil
			if ms == nil then
				regional = regional or r
			elseif contains(ms, m.slug) then
				if type(ad) == "string" and ad <= ctx.today then
					if not approved or ad > approved.approved.date then
						approved = r
					end
				else
					preparing = preparing or r
				end
			end
		end
	end
	if approved then
		return cell(ctx, "ok", t.report_ok:format(ctx.title(approved),
			ctx.fmtd(approved.approved.date)), approved)
	elseif preparing then
		return cell(ctx, "preparing", t.report_preparing:format(ctx.title(preparing)), preparing)
	end
	return cell(ctx, "missing", t.report_none:format(ctx.fmtd(ctx.term_from)), regional,
		regional and t.regional_only or nil)
end

-- The statutory checks, then the others; each with its column heading and rule.
local STATUTORY = { { "hyte", hyte }, { "cooperation", cooperation }, { "report", report } }
local OTHER = { { "partnership", partnership } }

-- The evidence of a region at the build date, sorted by kind.
local function context(region, site, today, lang)
	local term_first, term_last, term_from = term_of(today)
	local ctx = {
		t = TEXT[lang], today = today, term_from = term_from, term_first = term_first,
		term_last = term_last, term = ("%d–%d"):format(term_first, term_last),
		term_to = ("%d-06-01"):format(term_last),
		negotiations = {}, agreements = {}, partnerships = {}, reports = {},
		region_munis = {}, area_of = {},
	}
	function ctx.fmtd(d)
		return avoin.format_date(d, lang)
	end
	-- a record's title in the page's language where it has been translated
	function ctx.title(rec)
		return (rec.titles and rec.titles[lang]) or rec.title or ""
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
	-- negotiations dated later are not held, but show that one is set
	evidence("negotiation", ctx.negotiations, function(r)
		return type(r.date) == "string"
	end)
	evidence("agreement", ctx.agreements, any)
	evidence("partnership", ctx.partnerships, any)
	evidence("report", ctx.reports, function(r)
		return REPORTS[r.kind]
	end)
	return ctx
end

local function evaluate(ctx, m, checks)
	local out = {}
	for _, check in ipairs(checks) do
		local c = check[2](ctx, m)
		c.key = check[1]
		out[#out + 1] = c
	end
	return out
end

local function name_of(m, lang)
	if lang == "sv" and m.name_sv and m.name_sv ~= "" then
		return m.name_sv
	end
	return m.name or m.title or m.slug
end

-- The statutory table and the other one: their columns and rules.
local function tables_of(ctx, as_of, year)
	local t = ctx.t
	local statutory = { id = "obligations", heading = false, intro = false,
		caption = t.caption:format(as_of), checks = STATUTORY, columns = {
		{ key = "hyte", label = t.hyte:format(year), law = t.hyte_law, rule = t.hyte_rule },
		{ key = "cooperation", label = t.cooperation:format(ctx.term),
			law = t.cooperation_law, rule = t.cooperation_rule },
		{ key = "report", label = t.report:format(ctx.term), law = t.report_law,
			rule = t.report_rule },
	} }
	local other = { id = "cooperation-structure", heading = t.other_heading,
		intro = t.other_intro, caption = t.other_caption:format(as_of), checks = OTHER,
		columns = { { key = "partnership", label = t.partnership, law = false,
			rule = t.partnership_rule } } }
	return { statutory, other }
end

-- Fills each table with a row per municipality (region page) or its items (municipality page).
local function fill(ctx, tables, region, site, muni, lang)
	for _, tb in ipairs(tables) do
		tb.municipality_label = ctx.t.municipality
		if muni then
			tb.items = evaluate(ctx, muni, tb.checks)
			for i, item in ipairs(tb.items) do
				item.label, item.law = tb.columns[i].label, tb.columns[i].law
			end
		else
			tb.rows = {}
			for _, slug in ipairs(region.municipalities or {}) do
				local m = find(site.municipalities, "slug", slug)
				if m then
					tb.rows[#tb.rows + 1] = { slug = m.slug, name = name_of(m, lang),
						href = href_of(m), cells = evaluate(ctx, m, tb.checks) }
				end
			end
		end
		tb.checks = nil
	end
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
	local as_of = avoin.format_date(today, lang)
	local tables = tables_of(ctx, as_of, year)
	local rules = {}
	for _, tb in ipairs(tables) do
		for _, c in ipairs(tb.columns) do
			rules[#rules + 1] = { label = c.label, law = c.law, text = c.rule }
		end
	end
	fill(ctx, tables, region, site, muni, lang)
	return {
		kind = page.kind,
		heading = t.heading,
		intro = t.intro:format(as_of, ctx.term),
		rules_heading = t.rules_heading,
		rules = rules,
		as_of = as_of,
		build_date = today,
		term = ctx.term,
		year = year,
		municipality = muni and name_of(muni, lang) or false,
		tables = tables,
	}
end
