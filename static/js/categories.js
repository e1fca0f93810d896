// The letter each location category is marked with, on the map and the chart.
export const CATEGORY_MARK = {
  hotel: "H", bnb: "B", takeaway: "T", taxi_rank: "Tx", private_hire_base: "PH",
  shisha_lounge: "S", licensed_premises: "L", park: "P", car_park: "CP",
  transport_hub: "TH", shopping_centre: "SC", vacant_property: "V",
  residential_concern: "R", childrens_home: "CH", school: "Sc", other: "O",
};
