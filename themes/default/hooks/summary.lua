-- summary: a record's summary for lists, feeds and the meta description,
-- when its front matter has none: the first paragraph of the body as plain
-- text, cut at a word boundary after at most MAX characters, with "…".
--
-- Headings, lists, quotes, tables, code and HTML blocks are skipped: the
-- first paragraph is the first run of ordinary text lines. Inline Markdown
-- is reduced to its text ([a link](x) -> "a link", **bold** -> "bold").
-- Returns nil when the body has no paragraph.
local MAX = 200

-- A line that starts something other than a paragraph (and ends one).
local function interrupts(line)
	return line:find("^%s*#") or line:find("^%s*[-*+]%s") or line:find("^%s*1[.)]%s")
		or line:find("^%s*>") or line:find("^%s*[-*_][-*_ ]*$")
		or line:find("^%s*<[%a/!?][%w-]*[%s/>]") or line:find("^%s*<[%a/!?][%w-]*$")
end

local function block_start(line)
	return interrupts(line) or line:find("^%s*%d+[.)]%s") or line:find("^%s*|")
		or line:find("^%s*%[[^%]]+%]:") or line:find("^    ") or line:find("^\t")
end

local function fence(line)
	return line:match("^%s*(```+)") or line:match("^%s*(~~~+)")
end

-- The lines of s, read one at a time from the start: the first paragraph is
-- usually near it, so the rest of a long body is never copied or scanned.
local function lines(s)
	if s:find("\r", 1, true) then
		s = s:gsub("\r\n?", "\n")
	end
	local pos, n = 1, #s
	return function()
		if pos > n then
			return nil
		end
		local e = s:find("\n", pos, true) or n + 1
		local line = s:sub(pos, e - 1)
		pos = e + 1
		return line
	end
end

local function first_paragraph(body)
	local para, in_fence = {}, nil
	for line in lines(body) do
		if in_fence then
			local f = fence(line)
			if f and f:sub(1, 1) == in_fence:sub(1, 1) and #f >= #in_fence then
				in_fence = nil
			end
		elseif #para > 0 and line:find("^%s*[=-]+%s*$") then
			para = {} -- the lines were a heading (setext), not a paragraph
		elseif #para > 0 then
			if not line:find("%S") or fence(line) or interrupts(line) then
				break
			end
			para[#para + 1] = line
		elseif fence(line) then
			in_fence = fence(line)
		elseif line:find("%S") and not block_start(line) then
			para[#para + 1] = line
		end
	end
	if #para == 0 then
		return nil
	end
	return table.concat(para, " ")
end

local ENTITIES = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'", nbsp = " " }

-- Inline Markdown to its text, in this order: { a character the pattern
-- needs, pattern, replacement }. Each step only removes text, so one whose
-- character is not there (a plain find, much cheaper than a pattern tried
-- at every position) is skipped.
--
-- Every pattern is linear in the text: a run it scans ([^...]*) stops at the
-- character that opens the next try ("[" for links, "<" for tags), so no
-- position is scanned again from each of thousands of openers ("[[[[..." or
-- "<<<<..." without a closer would otherwise cost the square of the length).
local STEPS = {
	{ "[", "!%[([^%[%]]*)%]%([^()]*%)", "%1" },  -- images: their alt text
	{ "[", "%[([^%[%]]*)%]%([^()]*%)", "%1" },   -- [text](url)
	{ "[", "%[([^%[%]]*)%]%[[^%[%]]*%]", "%1" }, -- [text][ref]
	{ "<", "<(https?://[^<>%s]+)>", "%1" },      -- autolinks
	{ "<", "<[^<>]*>", "" },                     -- raw HTML is not published either
	{ "`", "`+([^`]*)`+", "%1" },
	{ "*", "%*%*([^*]+)%*%*", "%1" },
	{ "_", "__([^_]+)__", "%1" },
	{ "*", "%f[%w*]%*([^*]+)%*", "%1" },
	{ "_", "%f[%w_]_([^_]+)_%f[^%w_]", "%1" },
	{ "\\", "\\([%p])", "%1" },
	{ "&", "&(%a+);", ENTITIES },                -- an unknown name stays as it is
}

local function plain(s)
	for _, step in ipairs(STEPS) do
		if s:find(step[1], 1, true) then
			s = s:gsub(step[2], step[3])
		end
	end
	s = s:gsub("%s+", " ")
	return (s:gsub("^ ", ""):gsub(" $", ""))
end

-- Cuts s at a word boundary so that it has at most max characters (not bytes).
local function cut(s, max)
	local len = utf8.len(s)
	if not len then
		return nil  -- not UTF-8: better no summary than a broken one
	end
	if len <= max then
		return s
	end
	local limit = utf8.offset(s, max + 1) - 1
	local head = s:sub(1, limit)
	local at = head:match("^.*()%s")
	if at and at > limit / 2 then
		head = head:sub(1, at - 1)
	end
	local before
	repeat
		before = head
		head = head:gsub("[%s,;:%-]+$", ""):gsub("–$", "")
	until head == before
	return head .. "…"
end

return function(record, site)
	local body = record.body or ""
	local para = first_paragraph(body)
	if not para then
		return nil
	end
	local text = plain(para)
	if text == "" then
		return nil
	end
	return cut(text, MAX)
end
